package dev.sluice.operators.record;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One Kinesis record as Sluice carries it through the job: the payload bytes exactly as the
 * producer wrote them, plus the Kinesis metadata Firehose users can no longer see once data lands
 * (stream, shard, partition key, sequence number, approximate arrival time).
 *
 * <p>The metadata travels with the payload so that error envelopes, backups and warehouse columns
 * can name the exact source record. The class is a Flink POJO (public no-arg constructor, getters
 * and setters) so Flink serializes it with its POJO serializer rather than Kryo, and so later
 * fields can be added with state schema evolution.
 */
@PublicEvolving
public class SluiceRecord {

    /**
     * The record's Flink type, with every field spelled out so the partition-key map is serialized
     * by Flink's map serializer rather than falling back to Kryo.
     */
    public static final TypeInformation<SluiceRecord> TYPE_INFO = typeInfo();

    private byte[] data;
    private String stream;
    private String shardId;
    private String partitionKey;
    private String sequenceNumber;
    private long subSequenceNumber;
    private long approximateArrivalTimestamp;
    private long eventTimestamp;
    private boolean eventTimeFromPayload;
    private Map<String, String> partitionKeys = new LinkedHashMap<>();

    /** For Flink's POJO serializer. */
    public SluiceRecord() {}

    public SluiceRecord(
            byte[] data,
            String stream,
            String shardId,
            String partitionKey,
            String sequenceNumber,
            long approximateArrivalTimestamp) {
        this.data = data;
        this.stream = stream;
        this.shardId = shardId;
        this.partitionKey = partitionKey;
        this.sequenceNumber = sequenceNumber;
        this.approximateArrivalTimestamp = approximateArrivalTimestamp;
        this.eventTimestamp = approximateArrivalTimestamp;
    }

    private static TypeInformation<SluiceRecord> typeInfo() {
        Map<String, TypeInformation<?>> fields = new LinkedHashMap<>();
        fields.put("data", Types.PRIMITIVE_ARRAY(Types.BYTE));
        fields.put("stream", Types.STRING);
        fields.put("shardId", Types.STRING);
        fields.put("partitionKey", Types.STRING);
        fields.put("sequenceNumber", Types.STRING);
        fields.put("subSequenceNumber", Types.LONG);
        fields.put("approximateArrivalTimestamp", Types.LONG);
        fields.put("eventTimestamp", Types.LONG);
        fields.put("eventTimeFromPayload", Types.BOOLEAN);
        fields.put("partitionKeys", Types.MAP(Types.STRING, Types.STRING));
        return Types.POJO(SluiceRecord.class, fields);
    }

    /**
     * The same record carrying other payload bytes: what a transform's Ok produces. Metadata, event
     * time and partition keys are kept.
     */
    public SluiceRecord withData(byte[] newData) {
        SluiceRecord copy =
                new SluiceRecord(
                        newData,
                        stream,
                        shardId,
                        partitionKey,
                        sequenceNumber,
                        approximateArrivalTimestamp);
        copy.subSequenceNumber = subSequenceNumber;
        copy.eventTimestamp = eventTimestamp;
        copy.eventTimeFromPayload = eventTimeFromPayload;
        copy.partitionKeys = new LinkedHashMap<>(partitionKeys);
        return copy;
    }

    /** The payload, byte for byte as produced. */
    public byte[] getData() {
        return data;
    }

    public void setData(byte[] data) {
        this.data = data;
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

    /**
     * The record's place among the user records that share its sequence number: 0 for a plain
     * Kinesis record and for the first user record of a KPL-aggregated one, 1 for the second, and
     * so on. The Kinesis source does not hand the sub-sequence number to the deserialization
     * schema, so Sluice counts it right after the source (see {@code SourcePositionFilter}); it is
     * what lets a source position in the ledger end between two user records of one aggregated
     * record.
     */
    public long getSubSequenceNumber() {
        return subSequenceNumber;
    }

    public void setSubSequenceNumber(long subSequenceNumber) {
        this.subSequenceNumber = subSequenceNumber;
    }

    /** Milliseconds since the epoch at which Kinesis accepted the record. */
    public long getApproximateArrivalTimestamp() {
        return approximateArrivalTimestamp;
    }

    public void setApproximateArrivalTimestamp(long approximateArrivalTimestamp) {
        this.approximateArrivalTimestamp = approximateArrivalTimestamp;
    }

    /**
     * Milliseconds since the epoch at which the event happened: read from the payload's configured
     * event-time field, or the arrival timestamp when the payload has none.
     */
    public long getEventTimestamp() {
        return eventTimestamp;
    }

    public void setEventTimestamp(long eventTimestamp) {
        this.eventTimestamp = eventTimestamp;
    }

    /** Whether {@link #getEventTimestamp()} came from the payload rather than the arrival time. */
    public boolean isEventTimeFromPayload() {
        return eventTimeFromPayload;
    }

    public void setEventTimeFromPayload(boolean eventTimeFromPayload) {
        this.eventTimeFromPayload = eventTimeFromPayload;
    }

    /**
     * Extra partition keys a transform attached (Firehose's {@code partitionKeys} in a Lambda
     * response), for prefixes built from record fields. Never null.
     */
    public Map<String, String> getPartitionKeys() {
        return partitionKeys;
    }

    public void setPartitionKeys(Map<String, String> partitionKeys) {
        this.partitionKeys =
                partitionKeys == null ? new LinkedHashMap<>() : new LinkedHashMap<>(partitionKeys);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SluiceRecord)) {
            return false;
        }
        SluiceRecord that = (SluiceRecord) o;
        return approximateArrivalTimestamp == that.approximateArrivalTimestamp
                && eventTimestamp == that.eventTimestamp
                && eventTimeFromPayload == that.eventTimeFromPayload
                && Objects.equals(partitionKeys, that.partitionKeys)
                && Arrays.equals(data, that.data)
                && Objects.equals(stream, that.stream)
                && Objects.equals(shardId, that.shardId)
                && Objects.equals(partitionKey, that.partitionKey)
                && Objects.equals(sequenceNumber, that.sequenceNumber)
                && subSequenceNumber == that.subSequenceNumber;
    }

    @Override
    public int hashCode() {
        int result =
                Objects.hash(
                        stream,
                        shardId,
                        partitionKey,
                        sequenceNumber,
                        subSequenceNumber,
                        approximateArrivalTimestamp,
                        eventTimestamp,
                        partitionKeys);
        return 31 * result + Arrays.hashCode(data);
    }

    /** Names the record by its Kinesis coordinates; never prints the payload (it may hold PII). */
    @Override
    public String toString() {
        return "SluiceRecord{stream="
                + stream
                + ", shardId="
                + shardId
                + ", sequenceNumber="
                + sequenceNumber
                + ", bytes="
                + (data == null ? 0 : data.length)
                + '}';
    }
}
