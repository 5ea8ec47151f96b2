package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.TestRecords;
import dev.sluice.operators.transform.TransformResult;
import dev.sluice.operators.transform.builtin.FieldFilterTransform.Operator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FieldFilterTransformTest {

    @Test
    void equalsKeepsMatchingRecordsAndDropsTheRest() {
        FieldFilterTransform filter =
                new FieldFilterTransform("event_type", Operator.EQUALS, "click");

        assertThat(filter.transform(TestRecords.json("{\"event_type\":\"click\"}")))
                .isEqualTo(TransformResult.ok());
        assertThat(filter.transform(TestRecords.json("{\"event_type\":\"view\"}")))
                .isEqualTo(TransformResult.dropped());
        assertThat(filter.transform(TestRecords.json("{}"))).isEqualTo(TransformResult.dropped());
    }

    @Test
    void numbersAndBooleansCompareAsText() {
        FieldFilterTransform filter = new FieldFilterTransform("n", Operator.EQUALS, "42");

        assertThat(filter.transform(TestRecords.json("{\"n\":42}")))
                .isEqualTo(TransformResult.ok());
        assertThat(filter.transform(TestRecords.json("{\"n\":\"42\"}")))
                .isEqualTo(TransformResult.ok());
    }

    @Test
    void notEqualsDropsTheNamedValue() {
        FieldFilterTransform filter =
                new FieldFilterTransform("event_type", Operator.NOT_EQUALS, "heartbeat");

        assertThat(filter.transform(TestRecords.json("{\"event_type\":\"heartbeat\"}")))
                .isEqualTo(TransformResult.dropped());
        assertThat(filter.transform(TestRecords.json("{}"))).isEqualTo(TransformResult.ok());
    }

    @Test
    void existsAndNotExistsLookOnlyAtPresence() {
        FieldFilterTransform exists = new FieldFilterTransform("user_id", Operator.EXISTS, null);
        FieldFilterTransform missing = new FieldFilterTransform("test", Operator.NOT_EXISTS, null);

        assertThat(exists.transform(TestRecords.json("{\"user_id\":null}")))
                .isEqualTo(TransformResult.ok());
        assertThat(exists.transform(TestRecords.json("{}"))).isEqualTo(TransformResult.dropped());
        assertThat(missing.transform(TestRecords.json("{\"test\":true}")))
                .isEqualTo(TransformResult.dropped());
    }
}
