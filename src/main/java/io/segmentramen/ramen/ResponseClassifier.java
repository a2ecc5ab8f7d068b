package io.segmentramen.ramen;

import com.fasterxml.jackson.databind.JsonNode;
import io.segmentramen.json.Json;
import io.segmentramen.outcome.Reason;
import io.segmentramen.outcome.Rejection;

import java.time.Duration;
import java.util.Optional;

/** The answers of docs/CONTRACT.md §5 (outcomes in §2): what each answer from Ramen means for the event. */
public final class ResponseClassifier {

    private static final int MAX_MESSAGE_LENGTH = 200;


    private ResponseClassifier() {
    }

    public sealed interface Classification {
    }

    public record Delivered(int status) implements Classification {
    }

    /**
     * Not retried now; the event ends in its reason's status: rejected when Ramen refused this
     * payload (retrying the same event cannot help), failed for a configuration error (secret, API
     * key, clock, organization), which the caller must retry later.
     */
    public record Final(int status, Rejection rejection) implements Classification {
    }

    public record Retryable(Integer status, Rejection rejection, Optional<Duration> retryAfter) implements Classification {
    }

    public static Classification classify(RamenReply reply) {
        if (reply instanceof RamenReply.TimedOut) {
            return new Retryable(null, new Rejection(Reason.RAMEN_TIMEOUT, "Ramen did not answer within RAMEN_TIMEOUT"), Optional.empty());
        }
        if (reply instanceof RamenReply.Interrupted) {
            throw new IllegalArgumentException("an interrupted attempt has no classification: the sender stops");
        }
        if (reply instanceof RamenReply.ConnectionFailed failed) {
            return new Retryable(null, new Rejection(Reason.RAMEN_UNREACHABLE, "connection to Ramen failed: " + failed.detail()), Optional.empty());
        }
        RamenReply.Answered answered = (RamenReply.Answered) reply;
        int status = answered.status();
        if (status >= 200 && status < 300) {
            return new Delivered(status);
        }
        String detail = errorMessage(answered.body());
        if (status >= 300 && status < 400) {
            // Never followed and never "rejected": every event would be lost quietly.
            return new Final(status, new Rejection(Reason.RAMEN_REDIRECT, "Ramen answered " + status
                    + " (a redirect, never followed): check RAMEN_BASE_URL and RAMEN_PATH (https://, not http://; the right host)"));
        }
        return switch (status) {
            case 401 -> new Final(status, new Rejection(Reason.RAMEN_UNAUTHORIZED,
                    "Ramen answered 401: check RAMEN_SECRET_KEY, RAMEN_API_KEY and the clock" + suffix(detail)));
            case 404 -> new Final(status, new Rejection(Reason.RAMEN_UNKNOWN_ORGANIZATION,
                    "Ramen answered 404: check RAMEN_ORGANIZATION_ID" + suffix(detail)));
            case 429 -> new Retryable(status, new Rejection(Reason.RAMEN_THROTTLED, "Ramen answered 429 (throttled)"), answered.retryAfter());
            case 408, 423 -> new Retryable(status, new Rejection(Reason.RAMEN_UNAVAILABLE, "Ramen answered " + status + suffix(detail)),
                    answered.retryAfter());
            case 501 -> new Final(status, new Rejection(Reason.RAMEN_REJECTED, "Ramen answered 501" + suffix(detail)));
            default -> status >= 500
                    ? new Retryable(status, new Rejection(Reason.RAMEN_UNAVAILABLE, "Ramen answered " + status), answered.retryAfter())
                    : new Final(status, new Rejection(Reason.RAMEN_REJECTED, "Ramen answered " + status + suffix(detail)));
        };
    }

    private static String suffix(String detail) {
        return detail == null ? "" : ": " + detail;
    }

    /** Ramen's own error sentence, from {"error": ...} / {"message": ...} or a short plain body. */
    static String errorMessage(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        String message = body.strip();
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            if (json != null && json.isObject()) {
                JsonNode error = json.get("error");
                if (error != null && error.isObject()) {
                    error = error.has("message") ? error.get("message") : error;
                }
                JsonNode chosen = error != null ? error : json.get("message");
                if (chosen != null) {
                    message = chosen.isTextual() ? chosen.asText() : chosen.toString();
                }
            }
        } catch (Exception notJson) {
            // a plain-text body is used as it is
        }
        message = message.replaceAll("\\s+", " ");
        return message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH) + "…" : message;
    }
}
