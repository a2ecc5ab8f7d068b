package io.segmentramen.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.delivery.EventIntake;
import io.segmentramen.delivery.EventResult;
import io.segmentramen.delivery.OutcomeLog;
import io.segmentramen.delivery.Report;
import io.segmentramen.auth.AuthResult;
import io.segmentramen.auth.RequestAuthenticator;
import io.segmentramen.json.Json;
import io.segmentramen.observability.RequestMetrics;
import io.segmentramen.outcome.Reason;
import io.segmentramen.outcome.Rejection;
import io.segmentramen.outcome.Status;
import io.segmentramen.segment.ParsedRequest;
import io.segmentramen.segment.RequestError;
import io.segmentramen.segment.RawEvent;
import io.segmentramen.segment.ScannedBody;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Buffered mode (docs/CONTRACT.md §1): an SQS batch whose message bodies are what {@code POST /events}
 * accepts. All events of all records go through one pipeline run; the answer lists, by the SQS
 * record's own messageId, exactly the records holding a failed event, so Lambda redelivers only those.
 * A record whose credentials (message attributes {@code Authorization} / {@code X-Signature}) are
 * refused or whose body cannot be parsed is listed too (docs/CONTRACT.md §2): nothing leaves the queue unread.
 */
public final class SqsBatchHandler {

    private final EventIntake intake;
    private final RequestAuthenticator authenticator;

    public SqsBatchHandler(EventIntake intake, RequestAuthenticator authenticator) {
        this.intake = intake;
        this.authenticator = authenticator;
    }

    /** The answer Lambda reads ({@code batchItemFailures}) and the batch's metrics: its refused records and its events' outcomes. */
    public record Answer(ObjectNode response, RequestMetrics metrics) {
    }

    public Answer handle(JsonNode event, Instant lambdaEnd) {
        RequestMetrics metrics = RequestMetrics.empty();
        List<RawEvent> events = new ArrayList<>();
        List<String> recordOfEvent = new ArrayList<>();
        Set<String> failedRecords = new LinkedHashSet<>();
        for (JsonNode record : event.path("Records")) {
            String recordId = record.path("messageId").asText();
            // scanned once, for the X-Signature's span and the parser
            ScannedBody body = intake.scan(record.path("body").asText("").getBytes(StandardCharsets.UTF_8));
            Map<String, String> attributes = attributes(record);
            AuthResult auth = authenticator.verify(attributes.get("Authorization"), attributes.get("X-Signature"), body);
            if (auth instanceof AuthResult.Refused refused) {
                // Never dropped: back to the queue, and to its dead-letter queue after maxReceiveCount.
                failedRecord(recordId, new Rejection(Reason.UNAUTHENTICATED_RECORD, "the record's credentials were refused ("
                        + refused.refusal().code() + "); it stays in the queue and reaches the dead-letter queue after maxReceiveCount"),
                        failedRecords, metrics);
                continue;
            }
            metrics.authentication(auth);
            ParsedRequest parsed;
            try {
                parsed = intake.parse(body);
            } catch (RequestError e) {
                failedRecord(recordId, new Rejection(Reason.MALFORMED_RECORD, e.code() + ": " + e.getMessage()), failedRecords, metrics);
                continue;
            }
            for (RawEvent parsedEvent : parsed.events()) {
                events.add(parsedEvent.withIndex(events.size()));
                recordOfEvent.add(recordId);
            }
        }
        if (!events.isEmpty()) {
            Report report = intake.processQueued(events, lambdaEnd);
            metrics.add(report.metrics());
            for (EventResult result : report.results()) {
                if (result.status() == Status.FAILED) {
                    failedRecords.add(recordOfEvent.get(result.index()));
                }
            }
        }
        ObjectNode response = Json.object();
        ArrayNode failures = response.putArray("batchItemFailures");
        for (JsonNode record : event.path("Records")) {
            String recordId = record.path("messageId").asText();
            if (failedRecords.remove(recordId)) {
                failures.addObject().put("itemIdentifier", recordId);
            }
        }
        return new Answer(response, metrics);
    }

    /** A record that goes back to the queue unread: logged, listed, and counted as the failed outcome it is. */
    private static void failedRecord(String recordId, Rejection rejection, Set<String> failedRecords, RequestMetrics metrics) {
        failedRecords.add(recordId);
        OutcomeLog.failedRecord(recordId, rejection);
        metrics.outcome(Status.FAILED, rejection.reason(), 0, 0);
    }

    /** The request headers that the HTTP API's SQS integration carried over as message attributes. */
    private static Map<String, String> attributes(JsonNode record) {
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        JsonNode attributes = record.path("messageAttributes");
        attributes.fields().forEachRemaining(attribute -> {
            JsonNode value = attribute.getValue().path("stringValue");
            if (value.isTextual() && !value.asText().isEmpty()) {
                headers.put(attribute.getKey(), value.asText());
            }
        });
        return headers;
    }
}
