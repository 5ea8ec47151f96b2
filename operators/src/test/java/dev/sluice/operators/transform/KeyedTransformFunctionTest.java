package dev.sluice.operators.transform;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.record.TestRecords;
import dev.sluice.operators.transform.keyed.KeyedContext;
import dev.sluice.operators.transform.keyed.KeyedSluiceTransform;
import dev.sluice.operators.transform.keyed.MissingKeyPolicy;
import dev.sluice.operators.transform.keyed.StageKey;
import dev.sluice.operators.transform.keyed.TimerContext;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The keyed transform stage in {@link KeyedOneInputStreamOperatorTestHarness}: a user's {@link
 * KeyedSluiceTransform} with keyed state and an event-time timer, keyed by a payload field.
 */
class KeyedTransformFunctionTest {

    /**
     * Passes every record and counts them per user; when the watermark passes the end of the user's
     * minute it emits {@code {"user":…,"count":n}} and forgets the user.
     */
    static final class CountPerMinute implements KeyedSluiceTransform {

        private static final long serialVersionUID = 1L;

        private transient ValueState<Long> count;
        private transient ValueState<SluiceRecord> first;

        @Override
        public void open(RuntimeContext runtimeContext) {
            count = runtimeContext.getState(new ValueStateDescriptor<>("count", Types.LONG));
            first =
                    runtimeContext.getState(
                            new ValueStateDescriptor<>("first", SluiceRecord.TYPE_INFO));
        }

        @Override
        public TransformResult transform(SluiceRecord record, KeyedContext context)
                throws Exception {
            Long n = count.value();
            if (n == null) {
                first.update(record);
                long endOfMinute = (record.getEventTimestamp() / 60_000 + 1) * 60_000 - 1;
                context.timerService().registerEventTimeTimer(endOfMinute);
            }
            count.update(n == null ? 1 : n + 1);
            return TransformResult.ok();
        }

        @Override
        public void onTimer(long timestamp, TimerContext context) throws Exception {
            assertThat(context.timeDomain()).isEqualTo(TimeDomain.EVENT_TIME);
            String summary =
                    "{\"user\":\"" + context.currentKey() + "\",\"count\":" + count.value() + "}";
            context.emit(first.value().withData(summary.getBytes(StandardCharsets.UTF_8)));
            count.clear();
            first.clear();
        }
    }

    private static final long MINUTE = 1_714_564_800_000L; // 12:00:00.000

    @Test
    void aKeyedUserTransformKeepsStatePerKeyAndEmitsFromAnEventTimeTimer() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord> harness =
                harness(new CountPerMinute(), MissingKeyPolicy.PROCESSING_FAILED)) {
            harness.open();
            harness.processElement(event("ann", MINUTE + 1));
            harness.processElement(event("bob", MINUTE + 2));
            harness.processElement(event("ann", MINUTE + 3));

            assertThat(texts(harness)).hasSize(3);
            harness.processWatermark(new Watermark(MINUTE + 59_998));
            assertThat(texts(harness)).hasSize(3);

            harness.processWatermark(new Watermark(MINUTE + 59_999));

            assertThat(texts(harness))
                    .hasSize(5)
                    .contains("{\"user\":\"ann\",\"count\":2}", "{\"user\":\"bob\",\"count\":1}");
            assertThat(function(harness).metrics().ok.getCount()).isEqualTo(5);
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void stateAndTimersOfAKeySurviveASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord> harness =
                harness(new CountPerMinute(), MissingKeyPolicy.PROCESSING_FAILED)) {
            harness.open();
            harness.processElement(event("ann", MINUTE + 1));
            harness.processElement(event("ann", MINUTE + 2));
            snapshot = harness.snapshot(1L, 1L);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord> restored =
                harness(new CountPerMinute(), MissingKeyPolicy.PROCESSING_FAILED)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(event("ann", MINUTE + 3));
            restored.processWatermark(new Watermark(MINUTE + 60_000));

            assertThat(texts(restored)).contains("{\"user\":\"ann\",\"count\":3}");
        }
    }

    @Test
    void aRecordWithoutTheKeyFieldFailsWithKeyMissingBeforeAnyStepRuns() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord> harness =
                harness(new CountPerMinute(), MissingKeyPolicy.PROCESSING_FAILED)) {
            harness.open();
            harness.processElement(new StreamRecord<>(TestRecords.json("{\"other\":1}"), MINUTE));

            assertThat(harness.extractOutputValues()).isEmpty();
            List<FailedRecord> failed =
                    harness.getSideOutput(TransformFunction.PROCESSING_FAILED).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(failed)
                    .singleElement()
                    .satisfies(
                            f ->
                                    assertThat(f.getErrorCode())
                                            .isEqualTo(KeyedTransformFunction.MISSING_KEY));
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(function(harness).metrics().processingFailed.getCount()).isEqualTo(1);
        }
    }

    @Test
    void aKeyedUserTransformMustBeTheLastStepOfTheChain() {
        ChainedTransform chain =
                new ChainedTransform(
                        List.of(new KeyedStep(new CountPerMinute()), r -> TransformResult.ok()));

        assertThatThrownBy(
                        () ->
                                TransformFunction.builder(chain)
                                        .buildKeyed(
                                                StageKey.field(
                                                        "user",
                                                        MissingKeyPolicy.PROCESSING_FAILED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("last step");
    }

    @Test
    void aChainWithAKeyedStepCannotBuildAnUnkeyedStage() {
        assertThatThrownBy(
                        () ->
                                TransformFunction.builder(
                                                new ChainedTransform(
                                                        List.of(
                                                                new KeyedStep(
                                                                        new CountPerMinute()))))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a key");
    }

    static KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord> harness(
            KeyedSluiceTransform transform, MissingKeyPolicy missingKey) throws Exception {
        StageKey key = StageKey.field("user", missingKey);
        KeyedTransformFunction function =
                TransformFunction.builder(new ChainedTransform(List.of(new KeyedStep(transform))))
                        .buildKeyed(key);
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(function), key, Types.STRING);
    }

    static KeyedTransformFunction function(
            KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord> harness) {
        @SuppressWarnings("unchecked")
        KeyedProcessOperator<String, SluiceRecord, SluiceRecord> operator =
                (KeyedProcessOperator<String, SluiceRecord, SluiceRecord>) harness.getOperator();
        return (KeyedTransformFunction) operator.getUserFunction();
    }

    private static StreamRecord<SluiceRecord> event(String user, long eventTime) {
        SluiceRecord record = TestRecords.json("{\"user\":\"" + user + "\"}");
        record.setEventTimestamp(eventTime);
        return new StreamRecord<>(record, eventTime);
    }

    private static List<String> texts(
            KeyedOneInputStreamOperatorTestHarness<String, SluiceRecord, SluiceRecord> harness) {
        List<String> out = new ArrayList<>();
        for (SluiceRecord r : harness.extractOutputValues()) {
            out.add(TestRecords.text(r));
        }
        return out;
    }
}
