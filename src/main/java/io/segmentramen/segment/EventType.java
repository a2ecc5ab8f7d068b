package io.segmentramen.segment;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The event types Segment sends (docs/CONTRACT.md §2, {@code unknown_type}). Reports and log lines
 * carry the type as it was sent (an unknown one included), so this enum is for deciding, never for
 * writing.
 */
public enum EventType {
    IDENTIFY("identify", true),
    GROUP("group", true),
    TRACK("track", true),
    PAGE("page", true),
    /** Ramen has no equivalent: skipped {@code unsupported_type}. */
    SCREEN("screen", false),
    ALIAS("alias", false),
    /** Segment's user-deletion request, not a call a source makes: skipped {@code delete_not_supported}. */
    DELETE("delete", false);

    private static final Map<String, EventType> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private final String wireName;
    private final boolean mapped;

    EventType(String wireName, boolean mapped) {
        this.wireName = wireName;
        this.mapped = mapped;
    }

    /** The type named {@code wireName} exactly, or null when Segment has no such type. */
    public static EventType of(String wireName) {
        return wireName == null ? null : BY_NAME.get(wireName);
    }

    public String wireName() {
        return wireName;
    }

    /** True when Ramen has an equivalent and the mapper builds a payload for it. */
    public boolean mapped() {
        return mapped;
    }

    /** The calls a source makes, as the {@code unknown_type} message lists them: every type but {@link #DELETE}. */
    static String sourceCalls() {
        return Arrays.stream(values()).filter(type -> type != DELETE).map(EventType::wireName).collect(Collectors.joining(", "));
    }
}
