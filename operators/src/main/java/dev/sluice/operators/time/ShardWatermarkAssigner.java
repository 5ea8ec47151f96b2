package dev.sluice.operators.time;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.streaming.api.functions.AssignerWithPeriodicWatermarks;
import org.apache.flink.streaming.api.watermark.Watermark;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * The per-shard watermark of the Kinesis consumer: the largest event time seen on the shard minus a
 * bounded out-of-orderness.
 *
 * <p>{@code FlinkKinesisConsumer#setPeriodicWatermarkAssigner} keeps one copy of this per shard and
 * emits the minimum over the shards of a subtask. In flink-connector-kinesis 4.3 a shard takes part
 * in that minimum while it has records queued, while its watermark would advance the subtask's, or
 * while it had a record within {@code flink.shard.idle.interval}; so a shard that goes quiet stops
 * holding the watermark back once that interval passes (Sluice sets it from {@code EventTime
 * idle.shard.timeout.ms}), and when every shard is quiet the subtask is marked idle so downstream
 * operators do not wait for it.
 *
 * <p>The record's timestamp is {@link SluiceRecord#getEventTimestamp()}, already resolved by the
 * deserialization schema (payload field, or arrival time).
 */
public final class ShardWatermarkAssigner implements AssignerWithPeriodicWatermarks<SluiceRecord> {

    private static final long serialVersionUID = 1L;

    private final long maxOutOfOrdernessMillis;
    private long maxTimestamp = Long.MIN_VALUE;

    public ShardWatermarkAssigner(long maxOutOfOrdernessMillis) {
        checkArgument(maxOutOfOrdernessMillis >= 0, "out-of-orderness must not be negative");
        this.maxOutOfOrdernessMillis = maxOutOfOrdernessMillis;
    }

    @Override
    public long extractTimestamp(SluiceRecord record, long previousElementTimestamp) {
        long timestamp = record.getEventTimestamp();
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
        return timestamp;
    }

    @Override
    public Watermark getCurrentWatermark() {
        if (maxTimestamp == Long.MIN_VALUE) {
            return new Watermark(Long.MIN_VALUE);
        }
        return new Watermark(maxTimestamp - maxOutOfOrdernessMillis - 1);
    }
}
