package io.segmentramen.outcome;

/**
 * Every reason code of docs/CONTRACT.md §2's outcome table, defined once: the code reports and log
 * lines write, the status it ends an event in (or that it refuses a whole request, with the HTTP
 * status it answers), its effect on the answer of {@code POST /events}, and whether it is a
 * configuration error (logged at ERROR and counted in {@code ConfigurationErrors}, so that an alarm
 * tells a misconfiguration apart from an outage). Every stage that stops an event or refuses a
 * request names one of these; nothing else writes a reason code.
 */
public enum Reason {
    // CPD-OFF: the outcome table itself, one row per code, in docs/CONTRACT.md's order
    DELETE_NOT_SUPPORTED("delete_not_supported", Status.SKIPPED),
    INTEGRATION_DISABLED("integration_disabled", Status.SKIPPED),
    UNSUPPORTED_TYPE("unsupported_type", Status.SKIPPED),
    IDENTIFY_WITHOUT_USER_ID("identify_without_user_id", Status.SKIPPED),
    DUPLICATE("duplicate", Status.SKIPPED),
    DUPLICATE_IN_FLIGHT("duplicate_in_flight", Status.SKIPPED),

    NOT_AN_OBJECT("not_an_object", Status.REJECTED),
    INVALID_JSON("invalid_json", Status.REJECTED),
    JSON_LIMITS_EXCEEDED("json_limits_exceeded", Status.REJECTED),
    EVENT_TOO_LARGE("event_too_large", Status.REJECTED),
    MISSING_TYPE("missing_type", Status.REJECTED),
    UNKNOWN_TYPE("unknown_type", Status.REJECTED),
    INVALID_FIELD("invalid_field", Status.REJECTED),
    MESSAGE_ID_TOO_LONG("message_id_too_long", Status.REJECTED),
    MISSING_IDENTITY("missing_identity", Status.REJECTED),
    MISSING_EVENT_NAME("missing_event_name", Status.REJECTED),
    MISSING_GROUP_ID("missing_group_id", Status.REJECTED),
    INVALID_EMAIL("invalid_email", Status.REJECTED),
    MAPPED_PAYLOAD_TOO_LARGE("mapped_payload_too_large", Status.REJECTED),
    UNSIGNABLE_TEXT("unsignable_text", Status.REJECTED),
    STALE_SECURE_MODE_TIMESTAMP("stale_secure_mode_timestamp", Status.REJECTED),
    SECURE_MODE_UNSIGNED("secure_mode_unsigned", Status.REJECTED),
    RAMEN_REJECTED("ramen_rejected", Status.REJECTED),

    RAMEN_UNAVAILABLE("ramen_unavailable", Status.FAILED),
    /** The one failure answered 429: Ramen's throttling is passed back to Segment with its Retry-After. */
    RAMEN_THROTTLED("ramen_throttled", Status.FAILED, Answer.THROTTLED, 0, false),
    RAMEN_TIMEOUT("ramen_timeout", Status.FAILED),
    RAMEN_UNREACHABLE("ramen_unreachable", Status.FAILED),
    RAMEN_UNAUTHORIZED("ramen_unauthorized", Status.FAILED, Answer.UNAVAILABLE, 0, true),
    RAMEN_UNKNOWN_ORGANIZATION("ramen_unknown_organization", Status.FAILED, Answer.UNAVAILABLE, 0, true),
    RAMEN_REDIRECT("ramen_redirect", Status.FAILED, Answer.UNAVAILABLE, 0, true),
    DEADLINE_EXCEEDED("deadline_exceeded", Status.FAILED),
    BLOCKED_BY_EARLIER_FAILURE("blocked_by_earlier_failure", Status.FAILED),
    INTERNAL_ERROR("internal_error", Status.FAILED),
    /** The idempotency table holds a live claim of another instance on this messageId: Segment retries it. */
    IN_PROGRESS_ELSEWHERE("in_progress_elsewhere", Status.FAILED),
    /** The idempotency table could not be reached and IDEMPOTENCY_WHEN_UNREACHABLE=fail: not sent, Segment retries. */
    IDEMPOTENCY_UNAVAILABLE("idempotency_unavailable", Status.FAILED),
    /**
     * An array of several events whose X-Signature covers only its first element: the rest could be
     * forged. The whole request answers 503 (retried on purpose: Segment keeps the events while a
     * token is added) and counts as failed, not refused.
     */
    BATCH_NEEDS_TOKEN("batch_needs_token", Status.FAILED, Answer.UNAVAILABLE_WHOLE_REQUEST, 0, true),
    UNAUTHENTICATED_RECORD("unauthenticated_record", Status.FAILED, Answer.REDELIVERED_BY_SQS, 0, false),
    MALFORMED_RECORD("malformed_record", Status.FAILED, Answer.REDELIVERED_BY_SQS, 0, false),

    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    AUTH_NOT_CONFIGURED("auth_not_configured", 401),
    MISSING_CREDENTIALS("missing_credentials", 401),
    INVALID_CREDENTIALS("invalid_credentials", 401),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
    UNSUPPORTED_CONTENT_ENCODING("unsupported_content_encoding", 415),
    INVALID_COMPRESSED_BODY("invalid_compressed_body", 400),
    EMPTY_BODY("empty_body", 400),
    /** The body's outer structure cannot be found (an element that is not JSON is {@link #INVALID_JSON}). */
    INVALID_JSON_BODY("invalid_json", 400),
    NOT_EVENTS("not_events", 400),
    INVALID_BATCH("invalid_batch", 400),
    NO_EVENTS("no_events", 400),
    BODY_TOO_LARGE("body_too_large", 413),
    TOO_MANY_EVENTS("too_many_events", 413);
    // CPD-ON

    /** What a reason does to the answer of {@code POST /events}, as the outcome table's "HTTP effect" column says it. */
    public enum Answer {
        /** Nothing: 200. */
        NONE("200", 200),
        /** 400 when the request held this one event; a batch still answers 200. */
        BAD_REQUEST_WHEN_SINGLE("400 single / 200 batch", 400),
        /** 503 (with Ramen's Retry-After when it sent one): Segment retries. */
        UNAVAILABLE("503", 503),
        /** 429 with Ramen's Retry-After passed back (at least 1 s); wins over 503 in a batch that has both. */
        THROTTLED("429 + `Retry-After`", 429),
        /** The whole request answers 503 before any event is looked at. */
        UNAVAILABLE_WHOLE_REQUEST("503 for the whole request", 503),
        /** Buffered mode: the SQS record is listed in {@code batchItemFailures} and redelivered. */
        REDELIVERED_BY_SQS("SQS record in `batchItemFailures`", 0),
        /** The request is refused whole with {@link Reason#httpStatus()}. */
        REFUSED(null, 0);

        private final String contractText;
        private final int httpStatus;

        Answer(String contractText, int httpStatus) {
            this.contractText = contractText;
            this.httpStatus = httpStatus;
        }

        /** The status {@code POST /events} answers with when this is the strongest effect among its events'. */
        public int httpStatus() {
            return httpStatus;
        }

        /**
         * The stronger of two events' effects on one answer, in declaration order from {@link #NONE}
         * to {@link #THROTTLED}: any failed event makes it 503, a throttled one 429.
         */
        public Answer strongest(Answer other) {
            return other.compareTo(this) > 0 ? other : this;
        }
    }

    private final String code;
    private final Status status;
    private final Answer answer;
    private final int httpStatus;
    private final boolean configurationError;

    Reason(String code, Status status) {
        this(code, status, switch (status) {
            case SKIPPED, DELIVERED -> Answer.NONE;
            case REJECTED -> Answer.BAD_REQUEST_WHEN_SINGLE;
            case FAILED -> Answer.UNAVAILABLE;
        }, 0, false);
    }

    /** A refusal of the whole request, answered with {@code httpStatus}. */
    Reason(String code, int httpStatus) {
        this(code, null, Answer.REFUSED, httpStatus, false);
    }

    Reason(String code, Status status, Answer answer, int httpStatus, boolean configurationError) {
        this.code = code;
        this.status = status;
        this.answer = answer;
        // a whole request answered for an event reason takes its status from the answer (503), written there once
        this.httpStatus = answer == Answer.UNAVAILABLE_WHOLE_REQUEST ? answer.httpStatus : httpStatus;
        this.configurationError = configurationError;
    }

    /** The code as reports, log lines, metrics and {@code {"error": {"code"}}} write it. */
    public String code() {
        return code;
    }

    /** The status an event ends in; null for a refusal of the whole request. */
    public Status status() {
        return status;
    }

    /** True for a refusal of the whole request (docs/CONTRACT.md's {@code refused}): no event status, no results. */
    public boolean refusesRequest() {
        return status == null;
    }

    /** The status column of docs/CONTRACT.md's outcome table: an event status, or {@code refused}. */
    public String tableStatus() {
        return status == null ? "refused" : status.wireName();
    }

    public Answer answer() {
        return answer;
    }

    /** The HTTP status a whole request is answered with because of this reason; 0 when it only ends one event. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The HTTP effect column of docs/CONTRACT.md's outcome table. */
    public String httpEffect() {
        return answer == Answer.REFUSED ? Integer.toString(httpStatus) : answer.contractText;
    }

    /** A misconfiguration of this deployment rather than an outage: logged at ERROR, counted in {@code ConfigurationErrors}. */
    public boolean configurationError() {
        return configurationError;
    }
}
