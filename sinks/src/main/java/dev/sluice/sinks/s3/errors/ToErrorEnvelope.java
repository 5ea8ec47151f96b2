package dev.sluice.sinks.s3.errors;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.FailedRecord;

import org.apache.flink.api.common.functions.MapFunction;

/**
 * Writes a {@link FailedRecord} (the operators' view) as an {@link ErrorEnvelope} JSON line (the
 * error files' format). The two stay separate types so that the operators know nothing of file
 * formats; the mapping lives here, beside the envelope, since only the error files need it.
 */
public final class ToErrorEnvelope implements MapFunction<FailedRecord, byte[]> {

    private static final long serialVersionUID = 1L;

    @Override
    public byte[] map(FailedRecord f) {
        SluiceRecord r = f.getRecord();
        return new ErrorEnvelope(
                        f.getErrorCode(),
                        f.getErrorMessage(),
                        r.getData(),
                        f.getAttemptsMade(),
                        r.getApproximateArrivalTimestamp(),
                        r.getEventTimestamp(),
                        r.getStream(),
                        r.getShardId(),
                        r.getPartitionKey(),
                        r.getSequenceNumber(),
                        f.getProcessingTimestamp())
                .toJson();
    }
}
