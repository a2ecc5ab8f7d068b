package io.segmentramen.mapping;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replayed history is marked {@code import: true} (docs/CONTRACT.md §3), the flag Ramen's own importer sent with
 * every historical record so that Ramen does not take old data for new activity: when the event's
 * {@code timestamp} is older than {@code RAMEN_IMPORT_AFTER}, or when {@code integrations.Ramen.import}
 * is {@code true}; never for an event without a timestamp.
 *
 * @param after how old an event must be to count as history; empty when {@code RAMEN_IMPORT_AFTER=off}
 */
public record ImportRule(Optional<Duration> after) {

    private static final Pattern SHORT_FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    /** {@code off}, a number with a unit ({@code 30d}, {@code 12h}, {@code 500ms}) or ISO-8601 ({@code P30D}). */
    public static ImportRule parse(String setting) {
        String value = setting.trim().toLowerCase(Locale.ROOT);
        if (value.equals("off")) {
            return new ImportRule(Optional.empty());
        }
        Matcher shortForm = SHORT_FORM.matcher(value);
        try {
            if (shortForm.matches()) {
                long amount = Long.parseLong(shortForm.group(1));
                return new ImportRule(Optional.of(switch (shortForm.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                }));
            }
            return new ImportRule(Optional.of(Duration.parse(value.toUpperCase(Locale.ROOT))));
        } catch (java.time.format.DateTimeParseException | NumberFormatException | ArithmeticException e) {
            // unreadable, more digits than a long holds, or more than a Duration holds
            throw new IllegalArgumentException("RAMEN_IMPORT_AFTER must be off, a duration such as 30d or 12h, or ISO-8601 such as P30D: "
                    + setting, e);
        }
    }

    /**
     * @param sentAt the event's {@code timestamp} in epoch seconds, as mapped to {@code sent_at} (empty when it has none)
     * @param flag   {@code integrations.Ramen.import} (may be null)
     */
    public boolean isImport(OptionalLong sentAt, JsonNode flag, Instant now) {
        if (sentAt.isEmpty()) {
            return false;
        }
        if (flag != null && flag.isBoolean() && flag.booleanValue()) {
            return true;
        }
        return after.isPresent() && sentAt.getAsLong() < now.minus(after.get()).getEpochSecond();
    }
}
