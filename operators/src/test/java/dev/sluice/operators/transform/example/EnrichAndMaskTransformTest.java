package dev.sluice.operators.transform.example;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.record.TestRecords;
import dev.sluice.operators.transform.FailedRecord;
import dev.sluice.operators.transform.TransformFunction;
import dev.sluice.operators.transform.TransformResult;

import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a user tests a transform: call it directly for the logic, and run it in Sluice's {@link
 * TransformFunction} through Flink's harness to see what the job would deliver.
 */
class EnrichAndMaskTransformTest {

    private final EnrichAndMaskTransform transform = new EnrichAndMaskTransform();

    @Test
    void aClickIsEnrichedMaskedAndKeyedByType() throws Exception {
        TransformResult result =
                transform.transform(
                        TestRecords.json(
                                "{\"event_type\":\"click\",\"user_agent\":\"Mozilla/5.0 (iPhone)\","
                                        + "\"email\":\"ada@example.com\"}"));

        assertThat(result)
                .isEqualTo(
                        TransformResult.ok(
                                ("{\"event_type\":\"click\",\"user_agent\":\"Mozilla/5.0 (iPhone)\","
                                                + "\"email\":\"***@example.com\",\"device\":\"mobile\"}")
                                        .getBytes(),
                                Map.of("event_type", "click")));
    }

    @Test
    void aCrawlerIsDropped() throws Exception {
        assertThat(
                        transform.transform(
                                TestRecords.json(
                                        "{\"event_type\":\"view\",\"user_agent\":\"Googlebot\"}")))
                .isEqualTo(TransformResult.dropped());
    }

    @Test
    void anEventWithoutATypeFails() throws Exception {
        assertThat(transform.transform(TestRecords.json("{\"user_agent\":\"x\"}")))
                .isEqualTo(
                        TransformResult.processingFailed(
                                EnrichAndMaskTransform.MISSING_TYPE,
                                "event_type is missing or empty"));
    }

    @Test
    void inTheJobNonJsonBecomesAnErrorRecordNotACrash() throws Exception {
        OneInputStreamOperatorTestHarness<SluiceRecord, SluiceRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new TransformFunction(transform));

        harness.processElement(TestRecords.json("not json at all"), 0L);
        harness.processElement(TestRecords.json("{\"event_type\":\"click\"}"), 0L);

        assertThat(harness.extractOutputValues()).hasSize(1);
        List<FailedRecord> failed = new ArrayList<>();
        harness.getSideOutput(TransformFunction.PROCESSING_FAILED)
                .forEach(r -> failed.add(r.getValue()));
        assertThat(failed)
                .singleElement()
                .satisfies(
                        f ->
                                assertThat(TestRecords.text(TestRecords.of(f.getRawData())))
                                        .isEqualTo("not json at all"));
    }
}
