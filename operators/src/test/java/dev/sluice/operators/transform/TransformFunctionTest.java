package dev.sluice.operators.transform;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.record.TestRecords;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransformFunctionTest {

    private static final byte[] GOOD = "{\"event_id\":\"e1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void anOkWithoutNewBytesDeliversTheRecordUnchanged() throws Exception {
        Stage stage = Stage.of(r -> TransformResult.ok());

        stage.process(TestRecords.of(GOOD));

        assertThat(stage.delivered()).containsExactly(TestRecords.of(GOOD));
        assertThat(stage.failed()).isEmpty();
        assertThat(stage.metrics().ok.getCount()).isEqualTo(1);
    }

    @Test
    void anOkWithNewBytesDeliversThemAndKeepsTheKinesisMetadata() throws Exception {
        byte[] rewritten = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
        Stage stage = Stage.of(r -> TransformResult.ok(rewritten, Map.of("type", "click")));

        stage.process(TestRecords.of(GOOD));

        SluiceRecord out = stage.delivered().get(0);
        assertThat(out.getData()).isEqualTo(rewritten);
        assertThat(out.getPartitionKeys()).containsExactly(Map.entry("type", "click"));
        assertThat(out.getSequenceNumber()).isEqualTo(TestRecords.of(GOOD).getSequenceNumber());
        assertThat(out.getShardId()).isEqualTo(TestRecords.of(GOOD).getShardId());
    }

    @Test
    void aDroppedRecordIsCountedAndGoesNowhere() throws Exception {
        Stage stage = Stage.of(r -> TransformResult.dropped());

        stage.process(TestRecords.of(GOOD));

        assertThat(stage.delivered()).isEmpty();
        assertThat(stage.failed()).isEmpty();
        assertThat(stage.metrics().dropped.getCount()).isEqualTo(1);
    }

    @Test
    void aProcessingFailedRecordGoesToTheSideOutputWithItsOriginalBytes() throws Exception {
        Stage stage = Stage.of(r -> TransformResult.processingFailed("Bad.Thing", "it was bad"));

        stage.process(TestRecords.of(GOOD));

        assertThat(stage.delivered()).isEmpty();
        FailedRecord failed = stage.failed().get(0);
        assertThat(failed.getErrorCode()).isEqualTo("Bad.Thing");
        assertThat(failed.getErrorMessage()).isEqualTo("it was bad");
        assertThat(failed.getRawData()).isEqualTo(GOOD);
        assertThat(failed.getAttemptsMade()).isEqualTo(1);
        assertThat(failed.getRecord().getShardId()).isEqualTo("shardId-000000000001");
        assertThat(failed.getRecord().getPartitionKey()).isEqualTo("user-7");
        assertThat(failed.getRecord().getSequenceNumber()).isEqualTo("4960000000000001");
        assertThat(failed.getRecord().getApproximateArrivalTimestamp())
                .isEqualTo(TestRecords.ARRIVAL);
        assertThat(stage.metrics().processingFailed.getCount()).isEqualTo(1);
    }

    @Test
    void aTransformThatReturnsNullHasNotDecidedAndTheRecordFails() throws Exception {
        Stage stage = Stage.of(r -> null);

        stage.process(TestRecords.of(GOOD));

        assertThat(stage.delivered()).isEmpty();
        assertThat(stage.failed())
                .singleElement()
                .extracting(FailedRecord::getErrorCode)
                .isEqualTo(ErrorCodes.NO_OUTCOME);
    }

    @Test
    void anExceptionInUserCodeFailsOnlyThatRecordAndIsCounted() throws Exception {
        Stage stage =
                Stage.of(
                        r -> {
                            if (TestRecords.text(r).contains("boom")) {
                                throw new IllegalStateException("lookup failed");
                            }
                            return TransformResult.ok();
                        });

        stage.process(TestRecords.json("{\"boom\":true}"));
        stage.process(TestRecords.of(GOOD));

        assertThat(stage.delivered()).hasSize(1);
        FailedRecord failed = stage.failed().get(0);
        assertThat(failed.getErrorCode()).isEqualTo(ErrorCodes.TRANSFORM_EXCEPTION);
        assertThat(failed.getErrorMessage())
                .isEqualTo("java.lang.IllegalStateException: lookup failed");
        assertThat(stage.metrics().exceptions.getCount()).isEqualTo(1);
        assertThat(stage.metrics().processingFailed.getCount()).isEqualTo(1);
    }

    @Test
    void anExceptionInsideAChainIsReportedAsTheOriginalException() throws Exception {
        SluiceTransform throwing =
                r -> {
                    throw new IllegalArgumentException("bad field");
                };
        Stage stage =
                Stage.of(
                        new ChainedTransform(
                                java.util.List.of(r -> TransformResult.ok(), throwing)));

        stage.process(TestRecords.of(GOOD));

        assertThat(stage.failed().get(0).getErrorMessage())
                .isEqualTo("java.lang.IllegalArgumentException: bad field");
    }

    @Test
    void aStackOverflowInUserCodeFailsTheRecordNotTheJob() throws Exception {
        Stage stage =
                Stage.of(
                        r -> {
                            throw new StackOverflowError();
                        });

        stage.process(TestRecords.of(GOOD));

        assertThat(stage.failed().get(0).getErrorCode()).isEqualTo(ErrorCodes.TRANSFORM_EXCEPTION);
    }

    @Test
    void anExceptionFailsTheJobWhenConfiguredTo() throws Exception {
        SluiceTransform throwing =
                r -> {
                    throw new IllegalStateException("lookup failed");
                };
        Stage stage =
                new Stage(
                        TransformFunction.builder(throwing)
                                .onException(ExceptionPolicy.FAIL_JOB)
                                .build());

        assertThatThrownBy(() -> stage.process(TestRecords.of(GOOD)))
                .hasMessageContaining("on.exception=FAIL_JOB")
                .hasRootCauseMessage("lookup failed");
    }

    @Test
    void theErrorEnvelopeKeepsTheOriginalBytesEvenIfUserCodeOverwritesThem() throws Exception {
        Stage stage =
                Stage.of(
                        r -> {
                            java.util.Arrays.fill(r.getData(), (byte) 'x');
                            return TransformResult.processingFailed("Scribbled", "");
                        });

        stage.process(TestRecords.of(GOOD.clone()));

        assertThat(stage.failed().get(0).getRawData()).isEqualTo(GOOD);
    }

    @Test
    void incomingRecordsAndBytesCountEveryRecordWhateverItsOutcome() throws Exception {
        Stage stage =
                Stage.of(
                        r ->
                                TestRecords.text(r).contains("drop")
                                        ? TransformResult.dropped()
                                        : TransformResult.ok());

        stage.process(TestRecords.json("{\"a\":1}"));
        stage.process(TestRecords.json("{\"drop\":1}"));

        assertThat(stage.metrics().incomingRecords.getCount()).isEqualTo(2);
        assertThat(stage.metrics().incomingBytes.getCount()).isEqualTo(7 + 10);
        assertThat(stage.metrics().eventTimeFromArrival.getCount()).isEqualTo(2);
    }

    @Test
    void aLateRecordIsDeliveredByDefaultAndCounted() throws Exception {
        Stage stage = Stage.of(r -> TransformResult.ok());

        stage.harness.processWatermark(new Watermark(10_000));
        stage.harness.processElement(new StreamRecord<>(TestRecords.of(GOOD), 5_000));

        assertThat(stage.delivered()).hasSize(1);
        assertThat(stage.metrics().late.getCount()).isEqualTo(1);
    }

    @Test
    void aLateRecordGoesToTheLateOutputWhenConfigured() throws Exception {
        Stage stage =
                new Stage(
                        TransformFunction.builder(r -> TransformResult.ok())
                                .lateRecords(LateRecordPolicy.ERRORS)
                                .build());

        stage.harness.processWatermark(new Watermark(10_000));
        stage.harness.processElement(new StreamRecord<>(TestRecords.of(GOOD), 5_000));
        stage.harness.processElement(new StreamRecord<>(TestRecords.of(GOOD), 20_000));

        assertThat(stage.delivered()).hasSize(1);
        List<FailedRecord> late = new ArrayList<>();
        stage.harness.getSideOutput(TransformFunction.LATE).forEach(r -> late.add(r.getValue()));
        assertThat(late)
                .singleElement()
                .satisfies(
                        f -> {
                            assertThat(f.getErrorCode()).isEqualTo(ErrorCodes.LATE_RECORD);
                            assertThat(f.getRawData()).isEqualTo(GOOD);
                        });
    }

    /** The function in a one-input harness, opened. */
    private static final class Stage {

        final TransformFunction function;
        final OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness;

        Stage(TransformFunction function) throws Exception {
            this.function = function;
            this.harness = ProcessFunctionTestHarnesses.forProcessFunction(function);
        }

        static Stage of(SluiceTransform transform) throws Exception {
            return new Stage(new TransformFunction(transform));
        }

        void process(SluiceRecord record) throws Exception {
            harness.processElement(record, 0L);
        }

        List<SluiceRecord> delivered() {
            return harness.extractOutputValues();
        }

        List<FailedRecord> failed() {
            List<FailedRecord> out = new ArrayList<>();
            var side = harness.getSideOutput(TransformFunction.PROCESSING_FAILED);
            if (side != null) {
                side.forEach(r -> out.add(r.getValue()));
            }
            return out;
        }

        TransformMetrics metrics() {
            return function.metrics();
        }
    }
}
