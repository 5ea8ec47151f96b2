package dev.sluice.job;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.SluiceTransform;
import dev.sluice.operators.transform.TransformResult;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A user transform for the end-to-end test, named by class in configuration like a real one: {@code
 * event_type "explode"} throws, {@code "reject"} is a ProcessingFailed with {@link #REJECTED},
 * everything else is Ok unchanged.
 */
public class FailOnDemandTransform implements SluiceTransform {

    private static final long serialVersionUID = 1L;

    public static final String REJECTED = "Test.Rejected";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public TransformResult transform(SluiceRecord record) throws Exception {
        String type = MAPPER.readTree(record.getData()).path("event_type").asText();
        switch (type) {
            case "explode":
                throw new IllegalStateException("the test asked this record to explode");
            case "reject":
                return TransformResult.processingFailed(REJECTED, "the test rejects this record");
            default:
                return TransformResult.ok();
        }
    }
}
