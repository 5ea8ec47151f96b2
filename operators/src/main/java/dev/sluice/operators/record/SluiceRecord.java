package dev.sluice.operators.record;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Kinesis record as Sluice carries it through the job: the payload bytes exactly as the
 * producer wrote them, plus the Kinesis metadata Firehose users can no longer see once data
 * lands (stream, shard, partition key, sequence number, approximate arrival time).
 *
 * <p>The metadata travels with the payload so that error envelopes, backups and warehouse
 * columns can name the exact source record. The class is a Flink POJO (public no-arg
 * constructor, getters and setters) so Flink serializes it with its POJO serializer rather than
 * Kryo, and so later fields can be added with state schema evolution.
 */
public class SluiceRecord {

    private byte[] data;
    private String stream;
    private String shardId;
    private String partitionKey;
    private String sequenceNumber;
    private long approximateArrivalTimestamp;

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

    /** Milliseconds since the epoch at which Kinesis accepted the record. */
    public long getApproximateArrivalTimestamp() {
        return approximateArrivalTimestamp;
    }

    public void setApproximateArrivalTimestamp(long approximateArrivalTimestamp) {
        this.approximateArrivalTimestamp = approximateArrivalTimestamp;
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
                && Arrays.equals(data, that.data)
                && Objects.equals(stream, that.stream)
                && Objects.equals(shardId, that.shardId)
                && Objects.equals(partitionKey, that.partitionKey)
                && Objects.equals(sequenceNumber, that.sequenceNumber);
    }

    @Override
    public int hashCode() {
        int result =
                Objects.hash(
                        stream,
                        shardId,
                        partitionKey,
                        sequenceNumber,
                        approximateArrivalTimestamp);
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
