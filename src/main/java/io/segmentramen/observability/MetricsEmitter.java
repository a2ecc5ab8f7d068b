package io.segmentramen.observability;

import com.fasterxml.jackson.core.JsonGenerator;
import io.segmentramen.json.Json;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes one CloudWatch Embedded Metric Format line per invocation/request (names in
 * docs/RUNBOOK.md, "What the function tells you"): raw on stdout through the {@value #CATEGORY} log
 * category, one JSON object with {@code _aws} at its root, no AWS SDK. Namespace {@value #NAMESPACE},
 * one dimension {@code Service}.
 */
public final class MetricsEmitter {

    public static final String CATEGORY = "io.segmentramen.metrics";
    public static final String NAMESPACE = "SegmentRamen";
    public static final String DEFAULT_SERVICE = "segment-ramen-destination";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    private final String service;
    private final Clock clock;
    private final AtomicBoolean firstRequest = new AtomicBoolean(true);

    public MetricsEmitter(String service, Clock clock) {
        this.service = service == null || service.isBlank() ? DEFAULT_SERVICE : service;
        this.clock = clock;
    }

    /**
     * True exactly once: for the first request this process serves (its {@code ColdStart} metric and
     * the {@code coldStart} field of its log lines). The entry point asks once, as the request begins.
     */
    public boolean firstRequest() {
        return firstRequest.getAndSet(false);
    }

    /** Writes the request's EMF line, unless it was a dry run. */
    public void emit(RequestMetrics metrics, boolean coldStart) {
        if (!metrics.dryRun()) {
            LOG.info(line(metrics.snapshot(coldStart)));
        }
    }

    /** The EMF document: the metric directive under {@code _aws}, then the values at the root. */
    public String line(RequestMetrics.Snapshot s) {
        return Json.objectText(768, json -> {
            json.writeObjectFieldStart("_aws");
            json.writeNumberField("Timestamp", clock.millis());
            json.writeArrayFieldStart("CloudWatchMetrics");
            json.writeStartObject();
            json.writeStringField("Namespace", NAMESPACE);
            json.writeArrayFieldStart("Dimensions");
            json.writeStartArray();
            json.writeString("Service");
            json.writeEndArray();
            json.writeEndArray();
            json.writeArrayFieldStart("Metrics");
            for (String name : new String[] {"Delivered", "Skipped", "Rejected", "Failed", "Refused", "ConfigurationErrors", "RamenRequests",
                    "Attempts", "AuthPrevious", "ColdStart"}) {
                definition(json, name, "Count");
            }
            definition(json, "RamenLatencyMax", "Milliseconds");
            definition(json, "RamenLatencySum", "Milliseconds");
            for (String reason : s.rejectedByReason().keySet()) {
                definition(json, "Rejected_" + reason, "Count");
            }
            for (String reason : s.failedByReason().keySet()) {
                definition(json, "Failed_" + reason, "Count");
            }
            for (String code : s.refusedByCode().keySet()) {
                definition(json, "Refused_" + code, "Count");
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();

            json.writeStringField("Service", service);
            Object requestId = MDC.get(LogContext.AWS_REQUEST_ID);
            if (requestId != null) {
                json.writeStringField(LogContext.AWS_REQUEST_ID, requestId.toString());
            }
            json.writeNumberField("Delivered", s.delivered());
            json.writeNumberField("Skipped", s.skipped());
            json.writeNumberField("Rejected", s.rejected());
            json.writeNumberField("Failed", s.failed());
            json.writeNumberField("Refused", s.refused());
            json.writeNumberField("ConfigurationErrors", s.configurationErrors());
            json.writeNumberField("RamenRequests", s.ramenRequests());
            json.writeNumberField("Attempts", s.attempts());
            json.writeNumberField("AuthPrevious", s.authPrevious());
            json.writeNumberField("ColdStart", s.coldStart() ? 1 : 0);
            json.writeNumberField("RamenLatencyMax", s.ramenLatencyMaxMs());
            json.writeNumberField("RamenLatencySum", s.ramenLatencySumMs());
            for (Map.Entry<String, Integer> reason : s.rejectedByReason().entrySet()) {
                json.writeNumberField("Rejected_" + reason.getKey(), reason.getValue());
            }
            for (Map.Entry<String, Integer> reason : s.failedByReason().entrySet()) {
                json.writeNumberField("Failed_" + reason.getKey(), reason.getValue());
            }
            for (Map.Entry<String, Integer> code : s.refusedByCode().entrySet()) {
                json.writeNumberField("Refused_" + code.getKey(), code.getValue());
            }
        });
    }

    private static void definition(JsonGenerator json, String name, String unit) throws IOException {
        json.writeStartObject();
        json.writeStringField("Name", name);
        json.writeStringField("Unit", unit);
        json.writeEndObject();
    }
}
