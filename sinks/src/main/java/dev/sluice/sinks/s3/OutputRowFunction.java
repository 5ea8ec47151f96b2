package dev.sluice.sinks.s3;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.FailedRecord;
import dev.sluice.sinks.s3.format.FormatConversionException;
import dev.sluice.sinks.s3.format.RecordEncoder;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Prepares records for one S3 output: encodes each in the output's format and decides its
 * directory from the output's prefix. A record that cannot be encoded leaves through
 * {@link #formatConversionFailed()} as a {@link FailedRecord}, with its original bytes, instead of
 * reaching the writer.
 *
 * <p>It runs before the sink, not inside it, because a sink writer cannot divert a record: an
 * exception there fails the job, and the same record fails it again after every restart.
 */
public final class OutputRowFunction extends ProcessFunction<SluiceRecord, StagedRow> {

    private static final long serialVersionUID = 1L;

    private final PrefixTemplate prefix;
    private final RecordEncoder encoder;
    private final OutputTag<FailedRecord> formatConversionFailed;

    /**
     * @param outputName names the side output, which must be unique within the job
     */
    public OutputRowFunction(String outputName, PrefixTemplate prefix, RecordEncoder encoder) {
        this.prefix = checkNotNull(prefix, "prefix");
        this.encoder = checkNotNull(encoder, "encoder");
        this.formatConversionFailed =
                new OutputTag<>(
                        ErrorOutput.FORMAT_CONVERSION_FAILED.directory() + "-" + outputName,
                        FailedRecord.TYPE_INFO);
    }

    /** Records this output could not encode, for {@code errors/format-conversion-failed/}. */
    public OutputTag<FailedRecord> formatConversionFailed() {
        return formatConversionFailed;
    }

    @Override
    public void processElement(SluiceRecord record, Context ctx, Collector<StagedRow> out) {
        byte[] encoded;
        try {
            encoded = encoder.encode(record.getData() == null ? new byte[0] : record.getData());
        } catch (FormatConversionException e) {
            ctx.output(
                    formatConversionFailed,
                    FailedRecord.of(
                            record,
                            FormatConversionException.ERROR_CODE,
                            e.getMessage(),
                            ctx.timerService().currentProcessingTime()));
            return;
        }
        out.collect(new StagedRow(prefix.renderBucket(record), encoded));
    }
}
