package io.segmentramen.infra;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code infra/events/sqs} as {@code check-events.sh} runs it: with the buffered mode's token
 * {@code sample-token} configured, so a record needs the message attribute {@code Authorization}.
 * The record {@code sam local generate-event sqs receive-message} writes has none: it is listed in
 * batchItemFailures (back to the queue, then its dead-letter queue), never delivered nor dropped.
 */
@QuarkusTest
@TestProfile(SampleEvents.Token.class)
class SqsSampleEventsTest extends SampleEvents {

    static List<Path> samples() {
        return files("sqs");
    }
}
