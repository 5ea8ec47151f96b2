package dev.sluice.job.source;

import dev.sluice.job.config.EventTimeSettings;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.SourceOptions.SourceType;
import dev.sluice.job.config.SourceSettings;
import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.source.SluiceKinesisStreamsDeserializationSchema;
import dev.sluice.operators.source.SluiceRecordDeserializationSchema;
import dev.sluice.operators.source.position.ResumePositions;
import dev.sluice.operators.time.ShardWatermarkAssigner;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.connectors.kinesis.util.UniformShardAssigner;

import java.time.Duration;
import java.util.Properties;

/**
 * Builds the Kinesis source {@code KinesisSource source.type} names; every type produces the same
 * {@link SluiceRecord}s (stream name, shard id, partition key, decimal sequence number, approximate
 * arrival time, event time) with per-shard watermarks.
 *
 * <h2>Uids</h2>
 *
 * <p>{@link SourceType#POLLING} and {@link SourceType#EFO} are one operator, the legacy {@code
 * FlinkKinesisConsumer}, whose state (per shard: the last sequence number) does not depend on the
 * record publisher; they share {@link #LEGACY_UID}, so switching between them restores from a
 * savepoint. {@link SourceType#FLIP27} keeps splits and enumerator state the legacy consumer cannot
 * read and vice versa; it has its own uid, so a savepoint of the other kind fails to restore into
 * it (unless non-restored state is allowed, when the source starts from {@code
 * flink.stream.initpos}) rather than being misread.
 *
 * <h2>Where a start without state begins</h2>
 *
 * <p>Both kinds ask the ledger, at the start of the run and only when they restore no state,
 * whether {@code LATEST} or {@code AT_TIMESTAMP} must move back to what is not loaded yet ({@link
 * LedgerStartPosition}): the legacy consumer in each subtask's {@code run()} ({@link
 * LedgerStartingKinesisConsumer}), the FLIP-27 source in its enumerator ({@link
 * LedgerStartingKinesisStreamsSource}). Not at job construction, so that a warehouse outage at a
 * (re)submission is retried by Flink's restart strategy rather than failing the submission.
 */
public final class KinesisSources {

    /** The legacy consumer's uid, POLLING and EFO; unchanged since the first release. */
    public static final String LEGACY_UID = "sluice-kinesis-source";

    /** The FLIP-27 source's uid. */
    public static final String FLIP27_UID = "sluice-kinesis-source-flip27";

    private KinesisSources() {}

    /** The uid of the source operator {@code type} builds. */
    public static String uid(SourceType type) {
        return type == SourceType.FLIP27 ? FLIP27_UID : LEGACY_UID;
    }

    /** The configured source, with event time and per-shard watermarks; the ledger not read. */
    public static DataStream<SluiceRecord> create(
            StreamExecutionEnvironment env, SluiceConfig config) {
        return create(env, config, ResumePositions.NONE);
    }

    /**
     * The configured source; a start without state moves {@code LATEST} or {@code AT_TIMESTAMP}
     * back to what {@code ledger} has not loaded yet, reading it when the source starts.
     */
    public static DataStream<SluiceRecord> create(
            StreamExecutionEnvironment env, SluiceConfig config, ResumePositions ledger) {
        SourceSettings source = config.source();
        Properties consumerProperties = config.consumerProperties();
        return source.type() == SourceType.FLIP27
                ? flip27(env, source, consumerProperties, config.eventTime(), ledger)
                : legacy(env, source, consumerProperties, config.eventTime(), ledger);
    }

    /**
     * POLLING or EFO: {@code FlinkKinesisConsumer}; {@link SourceSettings} has already set the
     * record publisher keys. Watermarks per shard ({@link ShardWatermarkAssigner}), idle shards
     * left out after {@code flink.shard.idle.interval}.
     *
     * <p>Shards are spread evenly over the subtasks ({@link UniformShardAssigner}): the default
     * assigner hashes each shard, so at parallelism 4 on 4 shards all subtasks get one only about
     * one time in eleven, and a subtask may read everything while another idles. The consumer's
     * state is a union list, so a restore of state taken with the old assigner reassigns shards.
     */
    private static DataStream<SluiceRecord> legacy(
            StreamExecutionEnvironment env,
            SourceSettings source,
            Properties consumerProperties,
            EventTimeSettings eventTime,
            ResumePositions ledger) {
        LedgerStartingKinesisConsumer<SluiceRecord> consumer =
                new LedgerStartingKinesisConsumer<>(
                        source.streamName(),
                        new SluiceRecordDeserializationSchema(eventTime.extractor()),
                        consumerProperties,
                        ledger);
        consumer.setPeriodicWatermarkAssigner(
                new ShardWatermarkAssigner(eventTime.maxOutOfOrdernessMs()));
        consumer.setShardAssigner(new UniformShardAssigner());
        return env.addSource(consumer)
                .name("Kinesis " + source.type() + ": " + source.streamName())
                .uid(LEGACY_UID);
    }

    /**
     * FLIP27: {@code KinesisStreamsSource}. Its reader keeps one watermark per split (shard), so
     * {@link #watermarks} gives the same bound as the legacy consumer's per-shard assigner; idle
     * shards are handled by the strategy's idleness, which marks a split idle once it has had no
     * record for that long. The connector keys ({@code aws.*}, {@code flink.stream.initpos…},
     * {@code flink.shard.discovery.intervalmillis}) are its configuration; keys only the legacy
     * consumer knows are ignored by it.
     */
    private static DataStream<SluiceRecord> flip27(
            StreamExecutionEnvironment env,
            SourceSettings source,
            Properties consumerProperties,
            EventTimeSettings eventTime,
            ResumePositions ledger) {
        LedgerStartingKinesisStreamsSource<SluiceRecord> kinesis =
                new LedgerStartingKinesisStreamsSource<>(
                        source.streamArn(),
                        source.streamName(),
                        consumerProperties,
                        new SluiceKinesisStreamsDeserializationSchema(
                                eventTime.extractor(), source.streamName()),
                        ledger);
        return env.fromSource(
                        kinesis,
                        watermarks(eventTime),
                        "Kinesis " + source.type() + ": " + source.streamName(),
                        SluiceRecord.TYPE_INFO)
                .uid(FLIP27_UID);
    }

    /**
     * The FLIP-27 source's watermarks: the record's resolved event time, bounded out-of-orderness
     * (the largest event time minus the bound minus 1 ms, as {@link ShardWatermarkAssigner}
     * computes it), idleness after {@code EventTime idle.shard.timeout.ms} when that is set.
     */
    static WatermarkStrategy<SluiceRecord> watermarks(EventTimeSettings eventTime) {
        WatermarkStrategy<SluiceRecord> strategy =
                WatermarkStrategy.<SluiceRecord>forBoundedOutOfOrderness(
                                Duration.ofMillis(eventTime.maxOutOfOrdernessMs()))
                        .withTimestampAssigner((record, previous) -> record.getEventTimestamp());
        if (eventTime.idleShardTimeoutMs() > 0) {
            strategy = strategy.withIdleness(Duration.ofMillis(eventTime.idleShardTimeoutMs()));
        }
        return strategy;
    }
}
