package io.segmentramen.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** One line of the report: what became of the event at {@code index}. */
@RegisterForReflection
@JsonPropertyOrder({"index", "messageId", "type", "status", "reason", "message", "attempts", "ramenStatus", "warnings"})
public record EventResult(
        int index,
        @JsonInclude(JsonInclude.Include.NON_NULL) String messageId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String type,
        String status,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
        @JsonInclude(JsonInclude.Include.NON_NULL) String message,
        int attempts,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer ramenStatus,
        List<String> warnings) {

    static EventResult of(int index, String messageId, String type, EventOutcome outcome, List<String> warnings) {
        if (outcome instanceof EventOutcome.Delivered d) {
            return new EventResult(index, messageId, type, d.status(), null, null, d.attempts(), d.ramenStatus(), warnings);
        }
        if (outcome instanceof EventOutcome.Skipped s) {
            return new EventResult(index, messageId, type, s.status(), s.reason(), s.message(), 0, null, warnings);
        }
        if (outcome instanceof EventOutcome.Rejected r) {
            return new EventResult(index, messageId, type, r.status(), r.reason(), r.message(), r.attempts(), r.ramenStatus(), warnings);
        }
        EventOutcome.Failed f = (EventOutcome.Failed) outcome;
        return new EventResult(index, messageId, type, f.status(), f.reason(), f.message(), f.attempts(), f.ramenStatus(), warnings);
    }
}
