package dev.sluice.job;

import dev.sluice.job.config.SluiceConfig;
import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.source.SluiceRecordDeserializationSchema;
import dev.sluice.sinks.loader.LoadingFileSink;
import dev.sluice.sinks.s3.StagingFileSink;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;

/**
 * Wires the job: Kinesis → record model → transform → S3 staging files → warehouse loads.
 *
 * <p>Only wiring lives here. Operator uids are fixed so that savepoints taken by one Sluice
 * version restore into the next.
 */
public final class SluicePipeline {

    public static final String SOURCE_UID = "sluice-kinesis-source";
    public static final String TRANSFORM_UID = "sluice-transform";
    public static final String SINK_UID = "sluice-staging-sink";

    /** The first part of every staged object's name, so outputs can be told apart. */
    public static final String STAGING_PART_PREFIX = "sluice";

    private SluicePipeline() {}

    public static void build(StreamExecutionEnvironment env, SluiceConfig config) {
        build(env, config, config.loader());
    }

    /**
     * @param loader the warehouse loader's configuration; normally {@link SluiceConfig#loader()},
     *     replaceable so tests can wrap its connections to inject failures
     */
    public static void build(
            StreamExecutionEnvironment env, SluiceConfig config, WarehouseLoaderConfig loader) {
        if (!env.getCheckpointConfig().isCheckpointingEnabled()) {
            // Files are committed, and loaded, only on completed checkpoints.
            env.enableCheckpointing(config.checkpointIntervalMs(), CheckpointingMode.EXACTLY_ONCE);
        }
        // A load may wait out its retry window in the task thread; checkpoints must not expire
        // meanwhile (see WarehouseCommitter).
        long minimumTimeoutMs = LoadingFileSink.minimumCheckpointTimeout(loader).toMillis();
        if (env.getCheckpointConfig().getCheckpointTimeout() < minimumTimeoutMs) {
            env.getCheckpointConfig().setCheckpointTimeout(minimumTimeoutMs);
        }

        FlinkKinesisConsumer<SluiceRecord> consumer =
                new FlinkKinesisConsumer<>(
                        config.streamName(),
                        new SluiceRecordDeserializationSchema(),
                        config.consumerProperties());
        DataStream<SluiceRecord> records =
                env.addSource(consumer).name("Kinesis: " + config.streamName()).uid(SOURCE_UID);

        // Pass-through until the transform stage lands: the payload is staged as produced.
        DataStream<byte[]> payloads =
                records.map(SluiceRecord::getData)
                        .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                        .name("Transform (pass-through)")
                        .uid(TRANSFORM_UID);

        payloads.sinkTo(
                        new LoadingFileSink<>(
                                StagingFileSink.gzipJsonLines(
                                        config.bucketUri(),
                                        config.prefix(),
                                        config.buffering(),
                                        STAGING_PART_PREFIX),
                                loader))
                .name("S3 staging → warehouse")
                .uid(SINK_UID);
    }
}
