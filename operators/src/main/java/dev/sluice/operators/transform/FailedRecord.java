package dev.sluice.operators.transform;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record that did not make it to the data prefix, with everything needed to find, understand and
 * replay it: the original bytes exactly as read from Kinesis, the Kinesis coordinates, the error
 * code and message, and when it was processed.
 *
 * <p>It holds the {@link SluiceRecord} itself rather than copies of its fields, so everything that
 * writes a record (error envelopes, backup lines) reads one type. Both are Flink POJOs, so Flink
 * serializes it with its POJO serializer.
 */
public class FailedRecord {

    public static final TypeInformation<FailedRecord> TYPE_INFO = typeInfo();

    /** Sluice's transform stage runs each record once; Firehose retries Lambda invocations. */
    public static final int ATTEMPTS_MADE = 1;

    private SluiceRecord record;
    private String errorCode;
    private String errorMessage;
    private int attemptsMade;
    private long processingTimestamp;

    /** For Flink's POJO serializer. */
    public FailedRecord() {}

    /** Declared, so the nested record keeps its own POJO type (its map would else need Kryo). */
    private static TypeInformation<FailedRecord> typeInfo() {
        Map<String, TypeInformation<?>> fields = new LinkedHashMap<>();
        fields.put("record", SluiceRecord.TYPE_INFO);
        fields.put("errorCode", Types.STRING);
        fields.put("errorMessage", Types.STRING);
        fields.put("attemptsMade", Types.INT);
        fields.put("processingTimestamp", Types.LONG);
        return Types.POJO(FailedRecord.class, fields);
    }

    /**
     * @param original the record whose bytes failed (for the transform stage, as read from Kinesis;
     *     for format conversion, as the transform left it)
     * @param processingTimestamp when the outcome was decided, ms since the epoch
     */
    public static FailedRecord of(
            SluiceRecord original,
            String errorCode,
            String errorMessage,
            long processingTimestamp) {
        FailedRecord f = new FailedRecord();
        f.record = original.getData() == null ? original.withData(new byte[0]) : original;
        f.errorCode = errorCode;
        f.errorMessage = errorMessage;
        f.attemptsMade = ATTEMPTS_MADE;
        f.processingTimestamp = processingTimestamp;
        return f;
    }

    /** The record, with its bytes and Kinesis coordinates. */
    public SluiceRecord getRecord() {
        return record;
    }

    public void setRecord(SluiceRecord record) {
        this.record = record;
    }

    /** The record's bytes, never null. */
    public byte[] getRawData() {
        return record.getData();
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
        return "FailedRecord{errorCode=" + errorCode + ", " + record + '}';
    }
}
