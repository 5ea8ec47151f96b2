package dev.sluice.job;

import dev.sluice.job.config.EventTimeSettings;
import dev.sluice.job.config.FirehoseOutputSettings;
import dev.sluice.job.config.InvalidConfigurationException;
import dev.sluice.job.config.OutputOptions;
import dev.sluice.job.config.OutputSettings;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.TransformSettings;
import dev.sluice.job.source.KinesisSources;
import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.source.position.ResumePositions;
import dev.sluice.operators.source.position.SourcePositionFilter;
import dev.sluice.operators.transform.FailedRecord;
import dev.sluice.operators.transform.LateRecordPolicy;
import dev.sluice.operators.transform.TransformFunction;
import dev.sluice.sinks.firehose.FirehoseRecordSizeGate;
import dev.sluice.sinks.loader.LoaderExecutionOptions;
import dev.sluice.sinks.loader.LoadingFileSink;
import dev.sluice.sinks.loader.RowPositions;
import dev.sluice.sinks.s3.OutputFileSinks;
import dev.sluice.sinks.s3.OutputRowFunction;
import dev.sluice.sinks.s3.SourceBackup;
import dev.sluice.sinks.s3.errors.ErrorOutput;
import dev.sluice.sinks.s3.errors.ToErrorEnvelope;
import dev.sluice.sinks.s3.format.ColumnTypesSource;
import dev.sluice.sinks.s3.format.StagedRow;
import dev.sluice.sinks.warehouse.LedgerResumePositions;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Wires the job: Kinesis (per-shard watermarks) → record model → transform → one branch per S3
 * output (encode and place → FileSink), the staging output's files then loaded into the warehouse,
 * and one per Firehose output (at least once); the transform's and each S3 output's error side
 * outputs → {@code errors/…} files.
 *
 * <p>Every record that enters the transform leaves it exactly once: as a Dropped count, as an error
 * line (processing-failed, or late when so configured), or into every output, where it becomes a
 * row or that output's format-conversion or partitioning error line. Data and error files commit on
 * the same checkpoints, so that holds across failures too.
 *
 * <p>Only wiring lives here. Operator uids are fixed so that savepoints taken by one Sluice version
 * restore into the next.
 */
public final class SluicePipeline {

    /** The uid of the POLLING and EFO source; FLIP27 has {@link KinesisSources#FLIP27_UID}. */
    public static final String SOURCE_UID = KinesisSources.LEGACY_UID;

    public static final String SOURCE_POSITIONS_UID = "sluice-source-positions";
    public static final String TRANSFORM_UID = "sluice-transform";
    public static final String SINK_UID = "sluice-staging-sink";
    public static final String PROCESSING_FAILED_SINK_UID = "sluice-errors-processing-failed";
    public static final String LATE_SINK_UID = "sluice-errors-late";
    public static final String FORMAT_CONVERSION_FAILED_SINK_UID =
            "sluice-errors-format-conversion-failed";
    public static final String PARTITIONING_FAILED_SINK_UID = "sluice-errors-partitioning-failed";
    public static final String BACKUP_SINK_UID = "sluice-backup";

    /** Uid prefix of further outputs' operators, followed by the output's name. */
    public static final String OUTPUT_UID_PREFIX = "sluice-output-";

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
        if (env.getCheckpointConfig().isUnalignedCheckpointsEnabled()) {
            throw new InvalidConfigurationException(
                    "execution.checkpointing.unaligned is on, but Sluice needs aligned checkpoints:"
                            + " the source positions it records in the ledger assume that every"
                            + " record read before a checkpoint barrier is processed before it");
        }

        // Chained operators hand records on without a deep copy. Safe because no operator changes
        // or keeps a record it has received from another: the position filter numbers the source's
        // fresh records, the transform stage gives a user transform its own copy and emits new
        // records for rewrites, and the encoders and error envelopes turn a record into bytes at
        // once. Without it every chained hop copies the payload (a few % of the job's CPU).
        env.getConfig().enableObjectReuse();

        EventTimeSettings eventTime = config.eventTime();
        // Read through the configuration's own connections: tests replace the loader's to fail
        // loads.
        LedgerResumePositions ledger = new LedgerResumePositions(config.loader());
        DataStream<SluiceRecord> records =
                skipLoaded(KinesisSources.create(env, config, ledger), config.streamName(), ledger);

        SingleOutputStreamOperator<SluiceRecord> transformed =
                transform(records, config.transform(), eventTime);

        output(
                transformed,
                config.staging(),
                loader,
                config.loaderExecution(),
                config.columnTypes());
        for (OutputSettings further : config.furtherOutputs()) {
            output(transformed, further, null, null, null);
        }
        for (FirehoseOutputSettings firehose : config.firehoseOutputs()) {
            // At least once (see FirehoseOutput): not part of the exactly-once accounting above.
            // Records Firehose would refuse for their size go to the staging output's errors/
            // instead of failing the job (FirehoseRecordSizeGate).
            String uid = OUTPUT_UID_PREFIX + firehose.name();
            SingleOutputStreamOperator<SluiceRecord> sendable =
                    transformed
                            .process(firehose.sizeGate(), SluiceRecord.TYPE_INFO)
                            .name("Firehose " + firehose.name() + ": records within 1,000 KiB")
                            .uid(uid + "-size-gate");
            errorSink(
                    sendable.getSideOutput(FirehoseRecordSizeGate.TOO_LARGE),
                    ErrorOutput.FORMAT_CONVERSION_FAILED,
                    config.staging(),
                    uid + "-errors-format-conversion-failed");
            sendable.sinkTo(firehose.sink())
                    .name("Firehose " + firehose.name())
                    .uid(OUTPUT_UID_PREFIX + firehose.name());
        }

        DataStream<FailedRecord> processingFailed =
                transformed.getSideOutput(TransformFunction.PROCESSING_FAILED);
        DataStream<FailedRecord> late = transformed.getSideOutput(TransformFunction.LATE);
        errorSink(
                processingFailed,
                ErrorOutput.PROCESSING_FAILED,
                config,
                PROCESSING_FAILED_SINK_UID);
        boolean lateToErrors = eventTime.lateRecords() == LateRecordPolicy.ERRORS;
        if (lateToErrors) {
            errorSink(late, ErrorOutput.LATE, config, LATE_SINK_UID);
        }

        switch (config.backupMode()) {
            case ALL:
                backupSink(records.map(SluicePipeline::backupLine), config);
                break;
            case FAILED_ONLY:
                // Format-conversion and partitioning failures are not here: they hold the
                // transformed payload, not the source record, in their own errors/ directories.
                DataStream<FailedRecord> failed =
                        lateToErrors ? processingFailed.union(late) : processingFailed;
                backupSink(failed.map(f -> backupLine(f.getRecord())), config);
                break;
            default:
                break;
        }
    }

    /**
     * The transform stage. A stage with a key ({@code dedup}, a keyed user transform) gets a {@code
     * keyBy} right before it, between the source and the transform.
     *
     * <h2>What the keyBy changes</h2>
     *
     * <p>Without a key the stage is chained to the source: records of a shard stay in the source's
     * subtask, in shard order, and no record crosses the network. With a key every record is hashed
     * to the subtask owning its key group, so the records of one shard spread over all subtasks and
     * records of one key arrive together; order is kept per key and per shard within a subtask, not
     * per shard overall. Everything after the stage (encoding, files, loads) sees the keyed
     * distribution, which is as even as the keys are.
     *
     * <h2>Why this is still exactly once</h2>
     *
     * <p>Checkpoints are aligned (exactly-once mode): a checkpoint barrier passes the keyBy only
     * when it has arrived on every input channel, so the source's shard positions, the seen-keys
     * state and the files' pending parts in one checkpoint describe the same set of records. On a
     * restore all of them rewind together and the records after the positions are read, keyed and
     * de-duplicated again. The shuffle changes where a record is processed, never whether a
     * checkpoint includes it. Unaligned checkpoints would also be consistent (in-flight records are
     * part of the snapshot), but Sluice does not enable them.
     */
    static SingleOutputStreamOperator<SluiceRecord> transform(
            DataStream<SluiceRecord> records,
            TransformSettings transform,
            EventTimeSettings eventTime) {
        TransformFunction.Builder stage =
                TransformFunction.builder(transform.transform())
                        .onException(transform.onException())
                        .lateRecords(eventTime.lateRecords());
        SingleOutputStreamOperator<SluiceRecord> transformed =
                transform.keyed()
                        ? records.keyBy(transform.key(), Types.STRING)
                                .process(stage.buildKeyed(transform.key()), SluiceRecord.TYPE_INFO)
                        : records.process(stage.build(), SluiceRecord.TYPE_INFO);
        return transformed
                .name(
                        "Transform "
                                + transform.steps()
                                + (transform.keyed() ? " by " + transform.key() : ""))
                .uid(TRANSFORM_UID);
    }

    private static byte[] backupLine(SluiceRecord r) {
        return SourceBackup.line(
                r.getData(),
                r.getStream(),
                r.getShardId(),
                r.getPartitionKey(),
                r.getSequenceNumber(),
                r.getApproximateArrivalTimestamp());
    }

    private static void backupSink(SingleOutputStreamOperator<byte[]> lines, SluiceConfig config) {
        lines.returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .name("Backup line")
                .uid(BACKUP_SINK_UID + "-line")
                .sinkTo(
                        OutputFileSinks.backup(
                                config.bucketUri(), config.prefix().root(), config.buffering()))
                .name("S3 " + SourceBackup.DIRECTORY)
                .uid(BACKUP_SINK_UID);
    }

    /**
     * The Kinesis source {@code KinesisSource source.type} names, with event time and per-shard
     * watermarks; see {@link KinesisSources}.
     */
    public static DataStream<SluiceRecord> source(
            StreamExecutionEnvironment env, SluiceConfig config) {
        return KinesisSources.create(env, config);
    }

    /**
     * Numbers KPL user records and drops the records the ledger says are loaded: what makes a start
     * without Flink state exactly once for the warehouse table ({@link SourcePositionFilter}).
     * Chained to the source, so it sees every shard's records in order.
     */
    static DataStream<SluiceRecord> skipLoaded(
            DataStream<SluiceRecord> source, String stream, ResumePositions ledger) {
        return source.process(new SourcePositionFilter(stream, ledger), SluiceRecord.TYPE_INFO)
                .name("Skip records the ledger holds")
                .uid(SOURCE_POSITIONS_UID);
    }

    private static void errorSink(
            DataStream<FailedRecord> failed, ErrorOutput output, SluiceConfig config, String uid) {
        errorSink(failed, output, config.staging(), uid);
    }

    /** Error lines of one kind under {@code <output root>errors/<kind>/}. */
    private static void errorSink(
            DataStream<FailedRecord> failed, ErrorOutput output, OutputSettings owner, String uid) {
        failed.map(new ToErrorEnvelope())
                .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .name("Error envelope: " + output.directory())
                .uid(uid + "-envelope")
                .sinkTo(
                        OutputFileSinks.errors(
                                output,
                                owner.bucketUri(),
                                owner.prefix().root(),
                                owner.buffering()))
                .name(
                        "S3 "
                                + owner.prefix().root()
                                + ErrorOutput.ERRORS_DIRECTORY
                                + "/"
                                + output.directory())
                .uid(uid);
    }

    /**
     * One S3 output: encode and place each record, write the files exactly once (and load them, for
     * the staging output), and send records the format cannot hold or the prefix cannot place to
     * the output's own {@code errors/format-conversion-failed/} and {@code
     * errors/partitioning-failed/}.
     *
     * @param loader the warehouse loader for the staging output; null for further outputs
     * @param execution how that loader runs; null for further outputs
     * @param columnTypes where the staging output reads the table's column types, or null to stage
     *     values unchanged
     */
    private static void output(
            DataStream<SluiceRecord> transformed,
            OutputSettings output,
            WarehouseLoaderConfig loader,
            LoaderExecutionOptions execution,
            ColumnTypesSource columnTypes) {
        String uid = output.isStaging() ? SINK_UID : OUTPUT_UID_PREFIX + output.name();
        OutputRowFunction encode =
                OutputRowFunction.builder(output.name(), output.prefix(), output.format().encoder())
                        .maxOpenPartitions(
                                output.maxOpenPartitions(), OutputOptions.PARTITIONS_MAX_OPEN.key())
                        .columnTypes(columnTypes)
                        .build();
        SingleOutputStreamOperator<StagedRow> rows =
                transformed
                        .process(encode, StagedRow.TYPE_INFO)
                        .name("Encode " + output.label())
                        .uid(output.isStaging() ? TRANSFORM_UID + "-payload" : uid + "-rows");
        FileSink<StagedRow> files =
                OutputFileSinks.forRows(
                        output.bucketUri(),
                        output.prefix().root(),
                        output.format(),
                        output.buffering(),
                        output.name());
        if (loader != null) {
            rows.sinkTo(
                            new LoadingFileSink<>(
                                    files, loader, execution, RowPositions.ofStagedRows()))
                    .name("S3 " + output.label() + " → warehouse")
                    .uid(uid);
        } else {
            rows.sinkTo(files).name("S3 " + output.label()).uid(uid);
        }
        errorSink(
                rows.getSideOutput(encode.formatConversionFailed()),
                ErrorOutput.FORMAT_CONVERSION_FAILED,
                output,
                output.isStaging()
                        ? FORMAT_CONVERSION_FAILED_SINK_UID
                        : uid + "-errors-format-conversion-failed");
        errorSink(
                rows.getSideOutput(encode.partitioningFailed()),
                ErrorOutput.PARTITIONING_FAILED,
                output,
                output.isStaging()
                        ? PARTITIONING_FAILED_SINK_UID
                        : uid + "-errors-partitioning-failed");
    }
}
