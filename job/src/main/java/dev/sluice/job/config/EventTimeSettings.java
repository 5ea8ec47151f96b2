package dev.sluice.job.config;

import dev.sluice.operators.time.EventTimeExtractor;
import dev.sluice.operators.transform.LateRecordPolicy;

/**
 * Event time and watermarks as configured.
 *
 * @param extractor reads the event time from the payload; null means arrival time
 * @param maxOutOfOrdernessMs the per-shard watermark's bound
 * @param idleShardTimeoutMs the connector's {@code flink.shard.idle.interval}; 0 = off
 * @param lateRecords what happens to records behind the watermark
 */
public record EventTimeSettings(
        EventTimeExtractor extractor,
        long maxOutOfOrdernessMs,
        long idleShardTimeoutMs,
        LateRecordPolicy lateRecords) {}
