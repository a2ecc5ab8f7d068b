package io.segmentramen.mapping;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The warnings of one event, bounded whatever the input (docs/CONTRACT.md §3, bounded output): the first {@value #MAX_LISTED}
 * are listed, the rest are counted by code in one overflow warning. A message is only built when
 * it is listed, so that 2 000 warnings about a 15 000-character key cost no more than 20.
 */
public final class Warnings {

    public static final int MAX_LISTED = 20;
    /** A key (or path) named in a warning keeps this many characters, then {@code …} and 8 hex digits of its hash. */
    public static final int KEY_PREFIX = 48;

    /** Why a value was not sent as given: the closed set of warning codes. */
    public enum Code {
        ARRAY_DROPPED, KEY_COLLISION, KEY_TOO_LONG, NOT_A_TIME, NOT_A_BOOLEAN, NOT_FINITE, COMPANY_WITHOUT_ID,
        CREATED_AT_IGNORED, TIMESTAMP_NOT_A_TIME, AUDIENCE_NOT_SENT, OPTION_DROPPED, NO_MESSAGE_ID, WRONG_TYPE;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final List<String> listed = new ArrayList<>();
    private final Map<Code, Integer> unlisted = new EnumMap<>(Code.class);
    private int unlistedTotal;

    public void add(Code code, String message) {
        add(code, () -> message);
    }

    public void add(Code code, Supplier<String> message) {
        if (listed.size() < MAX_LISTED) {
            listed.add(message.get());
        } else {
            unlisted.merge(code, 1, Integer::sum);
            unlistedTotal++;
        }
    }

    public boolean isEmpty() {
        return listed.isEmpty();
    }

    /** The listed warnings, then the overflow warning when any were left out. */
    public List<String> list() {
        if (unlistedTotal == 0) {
            return List.copyOf(listed);
        }
        List<String> all = new ArrayList<>(listed);
        StringBuilder overflow = new StringBuilder().append(unlistedTotal).append(" more warning")
                .append(unlistedTotal == 1 ? "" : "s").append(" not listed, by code:");
        String separator = " ";
        for (Map.Entry<Code, Integer> entry : unlisted.entrySet()) {
            overflow.append(separator).append(entry.getKey().code()).append(' ').append(entry.getValue());
            separator = ", ";
        }
        all.add(overflow.toString());
        return List.copyOf(all);
    }

    /**
     * A key or path as a warning names it: whole up to {@value #KEY_PREFIX} characters, otherwise its
     * first {@value #KEY_PREFIX} characters, {@code …} and the first 8 hex digits of the SHA-256 of
     * the whole, so that two long keys stay distinguishable.
     */
    public static String name(String key) {
        if (key.length() <= KEY_PREFIX) {
            return key;
        }
        int cut = Character.isHighSurrogate(key.charAt(KEY_PREFIX - 1)) ? KEY_PREFIX - 1 : KEY_PREFIX;
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return key.substring(0, cut) + "…" + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
