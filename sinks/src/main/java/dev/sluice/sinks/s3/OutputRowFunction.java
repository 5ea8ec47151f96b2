package dev.sluice.sinks.s3;

import dev.sluice.operators.metrics.SluiceMetricGroups;
import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.FailedRecord;
import dev.sluice.operators.transform.RateLimitedLog;
import dev.sluice.sinks.s3.errors.ErrorOutput;
import dev.sluice.sinks.s3.format.ColumnTypesSource;
import dev.sluice.sinks.s3.format.FormatConversionException;
import dev.sluice.sinks.s3.format.RecordEncoder;
import dev.sluice.sinks.s3.format.StagedRow;
import dev.sluice.sinks.s3.prefix.PartitioningException;
import dev.sluice.sinks.s3.prefix.PrefixTemplate;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Prepares records for one S3 output: decides each record's directory from the output's prefix,
 * encodes it in the output's format, and keeps the number of directories (partitions) its writer
 * has open within a limit. Every record leaves exactly once: as a {@link StagedRow}, or with its
 * original bytes as a {@link FailedRecord} on {@link #partitioningFailed()} (a partition key that
 * cannot be read, or one partition too many) or {@link #formatConversionFailed()}.
 *
 * <p>It runs before the sink, not inside it, because a sink writer cannot divert a record: an
 * exception there fails the job, and the same record fails it again after every restart.
 *
 * <p><b>Why counting since the last checkpoint bounds the writer's open files.</b> The function
 * feeds its FileSink writer over a forward edge at the same parallelism, so writer subtask <i>i</i>
 * receives exactly the rows this function's subtask <i>i</i> emits, in order. (The edge is not a
 * chain: Flink never chains a sink writer, which yields to its mailbox, into a chain headed by a
 * legacy {@code SourceFunction} such as {@code FlinkKinesisConsumer}, so rows cross a local
 * channel.) The writer rolls every part file on each checkpoint ({@link
 * SizeCappedCheckpointRollingPolicy}) and a size roll replaces a file in the same bucket, so the
 * files it has open at any moment are one per bucket it received since the last checkpoint barrier.
 * The barrier reaches this function's {@link #snapshotState} just before the writer, at the same
 * point of the stream, which is where the count starts again. Nothing is kept in state: after a
 * restore the writer has no open files either.
 */
public final class OutputRowFunction extends ProcessFunction<SluiceRecord, StagedRow>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(OutputRowFunction.class);

    /** Firehose's default limit on active partitions. */
    public static final int DEFAULT_MAX_OPEN_PARTITIONS = 500;

    /** What messages tell an operator to raise when no setting is named. */
    public static final String DEFAULT_LIMIT_SETTING = "the open-partition limit";

    /** Records refused because their partition would exceed the open-partition limit. */
    public static final String PARTITION_LIMIT_EXCEEDED_RECORDS = "PartitionLimitExceededRecords";

    /**
     * Records handed to this output's writer (Firehose: {@code DeliveryToS3.Records}). They become
     * visible when the next checkpoint completes; after a failover the records replayed from the
     * last checkpoint are counted again, though written once.
     */
    public static final String DELIVERY_RECORDS = "DeliveryToS3.Records";

    /** Encoded bytes handed to the writer, before file compression. */
    public static final String DELIVERY_BYTES = "DeliveryToS3.Bytes";

    /** Records sent to {@code errors/format-conversion-failed/} (Firehose's name). */
    public static final String FAILED_CONVERSION_RECORDS = "FailedConversion.Records";

    /** Records sent to {@code errors/partitioning-failed/}, the limit's refusals included. */
    public static final String PARTITIONING_FAILED_RECORDS = "PartitioningFailedRecords";

    /** At most one warning line per this interval while records are refused. */
    public static final long LIMIT_WARNING_INTERVAL_MS = 10_000;

    private final String outputName;
    private final PrefixTemplate prefix;
    private final RecordEncoder encoder;
    private final int maxOpenPartitions;
    private final String limitSetting;
    private final OutputTag<FailedRecord> formatConversionFailed;
    private final OutputTag<FailedRecord> partitioningFailed;
    @Nullable private final ColumnTypesSource columnTypes;

    private transient RecordEncoder activeEncoder;
    private transient OpenPartitions openPartitions;
    private transient Counter limitExceeded;
    private transient Counter deliveredRecords;
    private transient Counter deliveredBytes;
    private transient Counter failedConversion;
    private transient Counter partitioningFailedRecords;
    private transient RateLimitedLog limitWarnings;

    /**
     * With the default open-partition limit; see {@link #builder} for the others.
     *
     * @param outputName names the side outputs, which must be unique within the job
     */
    public OutputRowFunction(String outputName, PrefixTemplate prefix, RecordEncoder encoder) {
        this(builder(outputName, prefix, encoder));
    }

    private OutputRowFunction(Builder b) {
        this.outputName = checkNotNull(b.outputName, "outputName");
        this.prefix = checkNotNull(b.prefix, "prefix");
        this.encoder = checkNotNull(b.encoder, "encoder");
        this.maxOpenPartitions = b.maxOpenPartitions;
        this.limitSetting = checkNotNull(b.limitSetting, "limitSetting");
        this.formatConversionFailed = sideOutput(ErrorOutput.FORMAT_CONVERSION_FAILED, outputName);
        this.partitioningFailed = sideOutput(ErrorOutput.PARTITIONING_FAILED, outputName);
        this.columnTypes = b.columnTypes;
    }

    /**
     * @param outputName names the side outputs, which must be unique within the job
     * @param prefix where rows go; its time source and partition keys decide each row's directory
     * @param encoder the output's format
     */
    public static Builder builder(String outputName, PrefixTemplate prefix, RecordEncoder encoder) {
        return new Builder(outputName, prefix, encoder);
    }

    private static OutputTag<FailedRecord> sideOutput(ErrorOutput output, String outputName) {
        return new OutputTag<>(output.directory() + "-" + outputName, FailedRecord.TYPE_INFO);
    }

    /** Records this output could not encode, for {@code errors/format-conversion-failed/}. */
    public OutputTag<FailedRecord> formatConversionFailed() {
        return formatConversionFailed;
    }

    /** Records this output could not place, for {@code errors/partitioning-failed/}. */
    public OutputTag<FailedRecord> partitioningFailed() {
        return partitioningFailed;
    }

    /** How many partitions a subtask may have open between two checkpoints. */
    public int maxOpenPartitions() {
        return maxOpenPartitions;
    }

    @Override
    public void open(OpenContext openContext) {
        // Once per task start: a restart sees the table as it is then.
        activeEncoder = columnTypes == null ? encoder : encoder.typed(columnTypes.read());
        openPartitions = new OpenPartitions(maxOpenPartitions);
        MetricGroup metrics = SluiceMetricGroups.sluice(getRuntimeContext().getMetricGroup());
        limitExceeded = metrics.counter(PARTITION_LIMIT_EXCEEDED_RECORDS);
        deliveredRecords = metrics.counter(DELIVERY_RECORDS);
        deliveredBytes = metrics.counter(DELIVERY_BYTES);
        failedConversion = metrics.counter(FAILED_CONVERSION_RECORDS);
        partitioningFailedRecords = metrics.counter(PARTITIONING_FAILED_RECORDS);
        limitWarnings = new RateLimitedLog(LIMIT_WARNING_INTERVAL_MS, System::currentTimeMillis);
    }

    @Override
    public void processElement(SluiceRecord record, Context ctx, Collector<StagedRow> out) {
        String bucket;
        try {
            bucket = prefix.renderBucket(record);
        } catch (PartitioningException e) {
            partitioningFailedRecords.inc();
            fail(ctx, partitioningFailed, record, e.errorCode(), e.getMessage());
            return;
        }
        byte[] encoded;
        try {
            encoded =
                    activeEncoder.encode(record.getData() == null ? new byte[0] : record.getData());
        } catch (FormatConversionException e) {
            failedConversion.inc();
            fail(
                    ctx,
                    formatConversionFailed,
                    record,
                    FormatConversionException.ERROR_CODE,
                    e.getMessage());
            return;
        }
        if (!openPartitions.admit(bucket)) {
            refuseOverLimit(ctx, record);
            return;
        }
        deliveredRecords.inc();
        deliveredBytes.inc(encoded.length);
        out.collect(new StagedRow(bucket, encoded).at(record));
    }

    private void refuseOverLimit(Context ctx, SluiceRecord record) {
        limitExceeded.inc();
        partitioningFailedRecords.inc();
        // The bucket is not logged: it holds partition values, which come from the payload.
        limitWarnings.warn(
                LOG,
                "Output '{}' reached its limit of {} open partitions since its last checkpoint;"
                        + " records for further partitions go to {} until the next one (last:"
                        + " stream {}, shard {}, sequence number {}). Raise {} of the output, or"
                        + " checkpoint more often.",
                outputName,
                maxOpenPartitions,
                ErrorOutput.PARTITIONING_FAILED.prefix(""),
                record.getStream(),
                record.getShardId(),
                record.getSequenceNumber(),
                limitSetting);
        fail(
                ctx,
                partitioningFailed,
                record,
                PartitioningException.PARTITION_LIMIT_EXCEEDED,
                "output '"
                        + outputName
                        + "' already has "
                        + maxOpenPartitions
                        + " partitions open since its last checkpoint, its limit; raise "
                        + limitSetting
                        + " in the output's configuration, or checkpoint more often");
    }

    private static void fail(
            Context ctx,
            OutputTag<FailedRecord> tag,
            SluiceRecord record,
            String errorCode,
            String message) {
        ctx.output(
                tag,
                FailedRecord.of(
                        record, errorCode, message, ctx.timerService().currentProcessingTime()));
    }

    /** For tests: this subtask's counters by metric name. */
    java.util.Map<String, Long> counts() {
        return java.util.Map.of(
                PARTITION_LIMIT_EXCEEDED_RECORDS, limitExceeded.getCount(),
                DELIVERY_RECORDS, deliveredRecords.getCount(),
                DELIVERY_BYTES, deliveredBytes.getCount(),
                FAILED_CONVERSION_RECORDS, failedConversion.getCount(),
                PARTITIONING_FAILED_RECORDS, partitioningFailedRecords.getCount());
    }

    /** The writer rolls all its files on this checkpoint; see the class comment. */
    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        openPartitions.checkpointed();
    }

    /** No state: the count starts empty after a restore, as the writer's open files do. */
    @Override
    public void initializeState(FunctionInitializationContext context) {}

    /** Settings of an {@link OutputRowFunction}, with named defaults. */
    public static final class Builder {
        private final String outputName;
        private final PrefixTemplate prefix;
        private final RecordEncoder encoder;
        private int maxOpenPartitions = DEFAULT_MAX_OPEN_PARTITIONS;
        private String limitSetting = DEFAULT_LIMIT_SETTING;
        @Nullable private ColumnTypesSource columnTypes;

        private Builder(String outputName, PrefixTemplate prefix, RecordEncoder encoder) {
            this.outputName = outputName;
            this.prefix = prefix;
            this.encoder = encoder;
        }

        /** Default {@link #DEFAULT_MAX_OPEN_PARTITIONS}; at least 1. */
        public Builder maxOpenPartitions(int max) {
            this.maxOpenPartitions = max;
            return this;
        }

        /**
         * The limit, and the setting that raises it as the caller's configuration names it, so that
         * messages say what to change.
         */
        public Builder maxOpenPartitions(int max, String setting) {
            this.limitSetting = setting;
            return maxOpenPartitions(max);
        }

        /**
         * Makes staged values fit the warehouse table's columns ({@link RecordEncoder#typed}), the
         * types read from {@code source} when the function opens; default none: values are staged
         * as the transform left them.
         */
        public Builder columnTypes(@Nullable ColumnTypesSource source) {
            this.columnTypes = source;
            return this;
        }

        /**
         * @throws IllegalArgumentException for a limit below 1
         */
        public OutputRowFunction build() {
            checkArgument(
                    maxOpenPartitions > 0,
                    "%s must be at least 1, not %s",
                    limitSetting,
                    maxOpenPartitions);
            return new OutputRowFunction(this);
        }
    }
}
