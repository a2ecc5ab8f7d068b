package io.segmentramen.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;

import java.util.List;

/**
 * The answer to a dry run (docs/RUNBOOK.md, "Dry run and smoke test"): the usual report, marked
 * {@code "dryRun": true}, each result carrying the {@code payload} its event would send to Ramen;
 * {@code payloads} are in the results' order (null where nothing would be sent).
 */
public record DryRunReport(Report report, List<ObjectNode> payloads) {

    public static final String REDACTED = "<redacted>";

    /** What a dry run reports for an event that would be sent: delivered as if Ramen answered 200, after no attempt. */
    static final EventOutcome WOULD_BE_DELIVERED = new EventOutcome.Delivered(0, 200);

    /**
     * The signed payload with {@code auth_hash} replaced: every other byte is what the wire would carry.
     * Signing copies the mapped payload before adding its fields, so the mapped one is never changed here.
     */
    static ObjectNode redact(ObjectNode mapped, ObjectNode signed) {
        if (!signed.has("auth_hash")) {
            return signed;
        }
        ObjectNode copy = signed == mapped ? signed.deepCopy() : signed;
        copy.put("auth_hash", REDACTED);
        return copy;
    }

    /**
     * The report as the caller receives it, written once, within {@link Report#MAX_BYTES}: payloads only
     * at full detail (a rendering measured against the limit is not written again).
     */
    public byte[] toBytes() {
        return fitted().bytes();
    }

    private Report.Fitted fitted() {
        long upperBound = report.upperBound();
        for (ObjectNode payload : payloads) {
            // a payload's size is only known by writing it; a dry run is a debugging aid, so measure
            upperBound += payload == null ? 0 : Json.byteCount(payload) + 12;
        }
        return Report.fitting(this::toJson, payloads.size(), upperBound);
    }

    private ObjectNode toJson(EventResult.Detail detail) {
        ObjectNode json = Json.object();
        json.put("dryRun", true);
        json.setAll(report.toJson(detail));
        JsonNode results = json.get("results");
        for (int i = 0; i < results.size(); i++) {
            JsonNode result = results.get(i);
            ObjectNode payload = payloads.get(i);
            if (payload != null) {
                // Ramen was not asked: no ramenStatus, 0 attempts.
                ((ObjectNode) result).remove("ramenStatus");
                if (detail == EventResult.Detail.FULL) {
                    ((ObjectNode) result).set("payload", payload);
                }
            }
        }
        return json;
    }
}
