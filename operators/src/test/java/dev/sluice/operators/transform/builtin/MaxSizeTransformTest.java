package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.TestRecords;
import dev.sluice.operators.transform.ErrorCodes;
import dev.sluice.operators.transform.TransformResult;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MaxSizeTransformTest {

    @Test
    void aRecordAtTheLimitPasses() {
        assertThat(new MaxSizeTransform(4).transform(TestRecords.of(new byte[4])))
                .isEqualTo(TransformResult.ok());
    }

    @Test
    void aRecordOverTheLimitFailsWithItsSize() {
        TransformResult result = new MaxSizeTransform(4).transform(TestRecords.of(new byte[5]));

        assertThat(JsonValidationTransformTest.code(result)).isEqualTo(ErrorCodes.RECORD_TOO_LARGE);
        assertThat(((TransformResult.ProcessingFailed) result).errorMessage()).contains("5 bytes");
    }

    @Test
    void theDefaultLimitIsOneMebibyte() {
        MaxSizeTransform max = new MaxSizeTransform();

        assertThat(max.transform(TestRecords.of(new byte[1024 * 1024])))
                .isEqualTo(TransformResult.ok());
        assertThat(max.transform(TestRecords.of(new byte[1024 * 1024 + 1])))
                .isInstanceOf(TransformResult.ProcessingFailed.class);
    }
}
