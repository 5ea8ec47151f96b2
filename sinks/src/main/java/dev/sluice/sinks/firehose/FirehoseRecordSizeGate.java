package dev.sluice.sinks.firehose;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.FailedRecord;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Before a {@code FIREHOSE} output's sink: passes the records Firehose can take and sends each
 * record larger than {@link FirehoseOutput#MAX_RECORD_SIZE_BYTES} as it would be sent (with the
 * newline, when one is appended) to {@link #TOO_LARGE} instead.
 *
 * <p>Why here: the connector's writer rejects such a record by throwing, which fails the job, and
 * the restarted job meets the same record again. A record that can never be sent is a record for
 * {@code errors/}, as a record the staging format cannot hold is; the other outputs still get it.
 */
public final class FirehoseRecordSizeGate extends ProcessFunction<SluiceRecord, SluiceRecord> {

    private static final long serialVersionUID = 1L;

    /** The error code of a record Firehose would refuse for its size. */
    public static final String RECORD_TOO_LARGE = "Firehose.RecordTooLarge";

    /** Records over Firehose's per-record limit, with the reason. */
    public static final OutputTag<FailedRecord> TOO_LARGE =
            new OutputTag<>("firehose-record-too-large", FailedRecord.TYPE_INFO);

    private final String deliveryStreamName;
    private final RecordPayloadSchema payload;

    FirehoseRecordSizeGate(String deliveryStreamName, RecordPayloadSchema payload) {
        this.deliveryStreamName = checkNotNull(deliveryStreamName, "deliveryStreamName");
        this.payload = checkNotNull(payload, "payload");
    }

    @Override
    public void processElement(SluiceRecord record, Context ctx, Collector<SluiceRecord> out) {
        int size = payload.serialize(record).length;
        if (size <= FirehoseOutput.MAX_RECORD_SIZE_BYTES) {
            out.collect(record);
            return;
        }
        ctx.output(
                TOO_LARGE,
                FailedRecord.of(
                        record,
                        RECORD_TOO_LARGE,
                        "record has "
                                + size
                                + " bytes as sent, more than Firehose's limit of "
                                + FirehoseOutput.MAX_RECORD_SIZE_BYTES
                                + " per record; not sent to delivery stream "
                                + deliveryStreamName,
                        ctx.timerService().currentProcessingTime()));
    }
}
