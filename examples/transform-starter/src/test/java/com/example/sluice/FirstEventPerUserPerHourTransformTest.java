package com.example.sluice;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.KeyedStep;
import dev.sluice.operators.transform.KeyedTransformFunction;
import dev.sluice.operators.transform.TransformFunction;
import dev.sluice.operators.transform.keyed.MissingKeyPolicy;
import dev.sluice.operators.transform.keyed.StageKey;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The transform in Sluice's own keyed stage ({@code KeyedTransformFunction}, keyed by {@code
 * user_id} as {@code key.field=user_id} keys it), driven by Flink's {@link
 * KeyedOneInputStreamOperatorTestHarness}: state, the event-time timer, and a snapshot and restore.
 * Sluice's operators are a test dependency only; the transform itself compiles against the API.
 */
class FirstEventPerUserPerHourTransformTest {

    private static final long NOON = 1_714_564_800_000L; // 2024-05-01T12:00:00Z
    private static final long MINUTE = 60_000L;

    @Test
    void onlyTheFirstEventOfEachUserInEachHourIsDelivered() throws Exception {
        try (var harness = harness()) {
            harness.open();
            process(harness, "u1", "a", NOON);
            process(harness, "u1", "b", NOON + 30 * MINUTE);
            process(harness, "u2", "c", NOON + 10 * MINUTE);
            process(harness, "u2", "d", NOON + 59 * MINUTE);
            process(harness, "u1", "e", NOON + 65 * MINUTE);

            assertEquals(List.of("a", "c", "e"), delivered(harness));
        }
    }

    @Test
    void anHourIsForgottenOnceTheWatermarkPassesItsEnd() throws Exception {
        try (var harness = harness()) {
            harness.open();
            process(harness, "u1", "a", NOON);
            process(harness, "u2", "b", NOON + 65 * MINUTE);
            assertEquals(2, harness.numEventTimeTimers());

            harness.processWatermark(new Watermark(NOON + 60 * MINUTE - 2));
            assertEquals(2, harness.numEventTimeTimers(), "12:00's timer waits for its last ms");

            harness.processWatermark(new Watermark(NOON + 60 * MINUTE - 1));
            assertEquals(1, harness.numEventTimeTimers());
            assertEquals(1, harness.numKeyedStateEntries(), "only u2's open hour is kept");
        }
    }

    @Test
    void theHoursSeenAndTheirTimersSurviveASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            harness.open();
            process(harness, "u1", "a", NOON);
            snapshot = harness.snapshot(1L, 1L);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            process(restored, "u1", "b", NOON + 5 * MINUTE);
            assertEquals(List.of(), delivered(restored), "12:00 was already seen");

            restored.processWatermark(new Watermark(NOON + 60 * MINUTE - 1));
            assertEquals(0, restored.numKeyedStateEntries(), "the restored timer fired");
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord>
            harness() throws Exception {
        StageKey key = StageKey.field("user_id", MissingKeyPolicy.PROCESSING_FAILED);
        KeyedTransformFunction stage =
                TransformFunction.builder(new KeyedStep(new FirstEventPerUserPerHourTransform()))
                        .buildKeyed(key);
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(stage), key, Types.STRING);
    }

    private static void process(
            KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord> harness,
            String user,
            String id,
            long eventTime)
            throws Exception {
        String json = "{\"user_id\":\"" + user + "\",\"id\":\"" + id + "\"}";
        SluiceRecord record =
                new SluiceRecord(
                        json.getBytes(StandardCharsets.UTF_8),
                        "clicks",
                        "shardId-000000000000",
                        user,
                        "4959033827149025660855969253836157109592157598913658" + id.length(),
                        eventTime);
        record.setEventTimestamp(eventTime);
        harness.processElement(new StreamRecord<>(record, eventTime));
    }

    private static List<String> delivered(
            KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord> harness) {
        return harness.extractOutputValues().stream()
                .map(r -> new String(r.getData(), StandardCharsets.UTF_8))
                .map(json -> json.substring(json.indexOf("\"id\":\"") + 6, json.lastIndexOf('"')))
                .collect(Collectors.toList());
    }
}
