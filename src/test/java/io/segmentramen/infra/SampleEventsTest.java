package io.segmentramen.infra;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * {@code infra/events/direct} and {@code infra/events/apigw} as {@code check-events.sh} runs them:
 * no credentials ({@code SEGMENT_AUTH=none}) and a fresh process per kind, here a dedup cache of 0 so
 * the two kinds' shared messageIds are not skipped as duplicates. Among them the events exactly as
 * {@code sam local generate-event apigateway aws-proxy / http-api-proxy} write them: base64 bodies,
 * no Content-Type, request times years old.
 */
@QuarkusTest
@TestProfile(SampleEvents.Open.class)
class SampleEventsTest extends SampleEvents {

    static Stream<Path> samples() {
        return Stream.concat(files("direct").stream(), files("apigw").stream());
    }
}
