package dev.sluice.operators.time;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.record.TestRecords;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ShardWatermarkAssignerTest {

    @Test
    void theWatermarkTrailsTheLargestEventTimeByTheBound() {
        ShardWatermarkAssigner assigner = new ShardWatermarkAssigner(1_000);

        assertThat(assigner.extractTimestamp(at(10_000), -1)).isEqualTo(10_000);
        assigner.extractTimestamp(at(8_000), -1); // out of order: does not move the watermark back
        assertThat(assigner.getCurrentWatermark().getTimestamp()).isEqualTo(8_999);
    }

    @Test
    void noRecordsMeansNoWatermarkYet() {
        assertThat(new ShardWatermarkAssigner(0).getCurrentWatermark().getTimestamp())
                .isEqualTo(Long.MIN_VALUE);
    }

    private static SluiceRecord at(long eventTime) {
        SluiceRecord r = TestRecords.json("{}");
        r.setEventTimestamp(eventTime);
        return r;
    }
}
