package io.segmentramen.golden;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Every golden event in one JSON array, their raw bytes as the fixtures hold them (array fixtures
 * contribute their elements; the {"batch"} envelope case and the requests refused whole are left
 * out): a batch that mixes every outcome, for tests of what a whole request logs and measures.
 */
public final class GoldenBatch {

    private GoldenBatch() {
    }

    public static byte[] bytes() {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        batch.write('[');
        boolean first = true;
        for (GoldenCase golden : cases()) {
            String event = new String(golden.event(), StandardCharsets.UTF_8).strip();
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

    /** The number of golden cases in the batch (each contributes one event or more). */
    public static int size() {
        return cases().size();
    }

    private static List<GoldenCase> cases() {
        return GoldenCase.all().stream()
                .filter(golden -> golden.errorCode() == null && !golden.name().equals("batch_envelope_merged")).toList();
    }
}
