package io.segmentramen.lambda;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/CONTRACT.md §5: API Gateway's request time counts only when it is believable; otherwise the deadline counts from now. */
class ArrivalTimeTest {

    private static final Instant NOW = Instant.parse("2026-11-30T01:00:00Z");

    private static Instant arrival(Duration ago) {
        return ApiGatewayEvents.arrival(NOW.minus(ago).toEpochMilli(), NOW);
    }

    @Test
    void aLiveRequestsTimeIsKept() {
        assertEquals(NOW.minusSeconds(3), arrival(Duration.ofSeconds(3)), "queueing and cold start count against the deadline");
        assertEquals(NOW.minusSeconds(60), arrival(Duration.ofSeconds(60)));
    }

    @Test
    void aTimeMoreThanAMinuteOldIsUnknown() {
        assertEquals(NOW, arrival(Duration.ofSeconds(61)));
        assertEquals(NOW, ApiGatewayEvents.arrival(1428582896000L, NOW), "sam local generate-event apigateway aws-proxy's fixed time");
    }

    @Test
    void aTimeInTheFutureIsUnknown() {
        assertEquals(NOW, arrival(Duration.ofSeconds(-61)));
        assertEquals(NOW, arrival(Duration.ofDays(-400)));
        assertEquals(NOW, arrival(Duration.ofSeconds(-5)), "a slightly fast clock never lengthens the deadline");
    }

    @Test
    void aMissingTimeIsUnknown() {
        assertEquals(NOW, ApiGatewayEvents.arrival(0, NOW));
        assertEquals(NOW, ApiGatewayEvents.arrival(-1, NOW));
    }
}
