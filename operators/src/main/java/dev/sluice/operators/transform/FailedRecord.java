package dev.sluice.operators.transform;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * A record that did not make it to the data prefix, with everything needed to find, understand
 * and replay it: the original bytes exactly as read from Kinesis, the Kinesis coordinates, the
 * error code and message, and when it was processed.
 *
 * <p>Flat on purpose (no nested record, no maps) so Flink serializes it with its POJO serializer.
 */
public class FailedRecord {

    public static final TypeInformation<FailedRecord> TYPE_INFO =
            TypeInformation.of(FailedRecord.class);

    /** Sluice's transform stage runs each record once; Firehose retries Lambda invocations. */
    public static final int ATTEMPTS_MADE = 1;

    private byte[] rawData;
    private String stream;
    private String shardId;
    private String partitionKey;
    private String sequenceNumber;
    private long approximateArrivalTimestamp;
    private long eventTimestamp;
    private String errorCode;
    private String errorMessage;
    private int attemptsMade;
    private long processingTimestamp;

    /** For Flink's POJO serializer. */
    public FailedRecord() {}

    /**
     * @param original the record as it entered the transform stage (its bytes are the ones kept)
     * @param processingTimestamp when the outcome was decided, ms since the epoch
     */
    public static FailedRecord of(
            SluiceRecord original, String errorCode, String errorMessage, long processingTimestamp) {
        FailedRecord f = new FailedRecord();
        f.rawData = original.getData() == null ? new byte[0] : original.getData();
        f.stream = original.getStream();
        f.shardId = original.getShardId();
        f.partitionKey = original.getPartitionKey();
        f.sequenceNumber = original.getSequenceNumber();
        f.approximateArrivalTimestamp = original.getApproximateArrivalTimestamp();
        f.eventTimestamp = original.getEventTimestamp();
        f.errorCode = errorCode;
        f.errorMessage = errorMessage;
        f.attemptsMade = ATTEMPTS_MADE;
        f.processingTimestamp = processingTimestamp;
        return f;
    }

    public byte[] getRawData() {
        return rawData;
    }

    public void setRawData(byte[] rawData) {
        this.rawData = rawData;
    }

    public String getStream() {
        return stream;
    }

    public void setStream(String stream) {
        this.stream = stream;
    }

    public String getShardId() {
        return shardId;
    }

    public void setShardId(String shardId) {
        this.shardId = shardId;
    }

    public String getPartitionKey() {
        return partitionKey;
    }

    public void setPartitionKey(String partitionKey) {
        this.partitionKey = partitionKey;
    }

    public String getSequenceNumber() {
        return sequenceNumber;
    }

    public void setSequenceNumber(String sequenceNumber) {
        this.sequenceNumber = sequenceNumber;
    }

    public long getApproximateArrivalTimestamp() {
        return approximateArrivalTimestamp;
    }

    public void setApproximateArrivalTimestamp(long approximateArrivalTimestamp) {
        this.approximateArrivalTimestamp = approximateArrivalTimestamp;
    }

    public long getEventTimestamp() {
        return eventTimestamp;
    }

    public void setEventTimestamp(long eventTimestamp) {
        this.eventTimestamp = eventTimestamp;
    }

    public String getErrorCode() {
        return errorCode;
    }

    public void setErrorCode(String errorCode) {
        this.errorCode = errorCode;
    }

    public String getErrorMessage() {
        return errorMessage;
    }

    public void setErrorMessage(String errorMessage) {
        this.errorMessage = errorMessage;
    }

    public int getAttemptsMade() {
        return attemptsMade;
    }

    public void setAttemptsMade(int attemptsMade) {
        this.attemptsMade = attemptsMade;
    }

    public long getProcessingTimestamp() {
        return processingTimestamp;
    }

    public void setProcessingTimestamp(long processingTimestamp) {
        this.processingTimestamp = processingTimestamp;
    }

    /** Names the record and the error; never prints the payload or the message. */
    @Override
    public String toString() {
        return "FailedRecord{errorCode="
                + errorCode
                + ", stream="
                + stream
                + ", shardId="
                + shardId
                + ", sequenceNumber="
                + sequenceNumber
                + ", bytes="
                + (rawData == null ? 0 : rawData.length)
                + '}';
    }
}
