package dev.sluice.operators.record;

import java.nio.charset.StandardCharsets;

/** Records for tests: fixed Kinesis coordinates, the payload given. */
public final class TestRecords {

    public static final long ARRIVAL = 1_714_564_800_000L; // 2024-05-01T12:00:00Z

    private TestRecords() {}

    public static SluiceRecord of(byte[] data) {
        return new SluiceRecord(
                data, "user-events", "shardId-000000000001", "user-7", "4960000000000001", ARRIVAL);
    }

    public static SluiceRecord json(String json) {
        return of(json.getBytes(StandardCharsets.UTF_8));
    }

    public static String text(SluiceRecord record) {
        return new String(record.getData(), StandardCharsets.UTF_8);
    }
}
