package io.segmentramen.golden;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Every golden event in one JSON array, their raw bytes as the fixtures hold them (array fixtures
 * contribute their elements; the {"batch"} envelope case is left out): a batch that mixes every
 * outcome, for tests of what a whole request logs and measures.
 */
public final class GoldenBatch {

    private GoldenBatch() {
    }

    public static byte[] bytes() {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        batch.write('[');
        boolean first = true;
        for (String name : GoldenCase.names()) {
            String event = new String(GoldenCase.load(name).event(), StandardCharsets.UTF_8).strip();
            if (name.equals("batch_envelope_merged")) {
                continue;
            }
            if (event.startsWith("[")) {
                event = event.substring(1, event.length() - 1).strip();
            }
            if (!first) {
                batch.write(',');
            }
            batch.writeBytes(event.getBytes(StandardCharsets.UTF_8));
            first = false;
        }
        batch.write(']');
        return batch.toByteArray();
    }

    public static int size() {
        return GoldenCase.names().size() - 1;
    }
}
