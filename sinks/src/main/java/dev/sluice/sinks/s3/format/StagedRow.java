package dev.sluice.sinks.s3.format;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.source.position.SourcePosition;
import dev.sluice.operators.source.position.StreamShard;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One record on its way into an S3 output: already encoded in the output's format, with the
 * directory (bucket, in FileSink's terms) it belongs in already decided.
 *
 * <p>Both are decided upstream of the sink by {@link dev.sluice.sinks.s3.OutputRowFunction}, so the
 * writer only appends bytes and the bucket assigner only reads a field; neither can fail on a bad
 * record. Serialized by {@link StagedRowSerializer}: with the {@code POLLING} and {@code EFO}
 * sources every row crosses an unchained edge into the staging writer.
 *
 * <p>It also carries its source record's position (stream, shard, sequence and sub-sequence number,
 * arrival time), so that the staging writer can tell the loader how far each shard is staged in a
 * checkpoint (see {@code SourcePositions}); {@link #at} sets it.
 */
@TypeInfo(StagedRowTypeInfo.Factory.class)
public class StagedRow {

    public static final TypeInformation<StagedRow> TYPE_INFO = TypeInformation.of(StagedRow.class);

    private String bucket;
    private byte[] bytes;
    private String stream;
    private String shardId;
    private String sequenceNumber;
    private long subSequenceNumber;
    private long arrivalMillis;

    /** An empty row, for {@link StagedRowSerializer}. */
    public StagedRow() {}

    public StagedRow(String bucket, byte[] bytes) {
        this.bucket = bucket;
        this.bytes = bytes;
    }

    /** Records where the row's source record sits in its shard; returns this row. */
    public StagedRow at(SluiceRecord record) {
        this.stream = record.getStream();
        this.shardId = record.getShardId();
        this.sequenceNumber = record.getSequenceNumber();
        this.subSequenceNumber = record.getSubSequenceNumber();
        this.arrivalMillis = record.getApproximateArrivalTimestamp();
        return this;
    }

    /** The source record's shard, or empty when the row has no complete source position. */
    public Optional<StreamShard> shard() {
        return stream == null || shardId == null || sequenceNumber == null
                ? Optional.empty()
                : Optional.of(new StreamShard(stream, shardId));
    }

    /** The source record's position in its shard; call only when {@link #shard()} is present. */
    public SourcePosition position() {
        return new SourcePosition(sequenceNumber, subSequenceNumber, arrivalMillis);
    }

    /** The directory under the output's root, e.g. {@code 2026/11/22/08/}. */
    public String getBucket() {
        return bucket;
    }

    public void setBucket(String bucket) {
        this.bucket = bucket;
    }

    /** The encoded record: a line without its line break, or a binary Avro datum. */
    public byte[] getBytes() {
        return bytes;
    }

    public void setBytes(byte[] bytes) {
        this.bytes = bytes;
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

    public String getSequenceNumber() {
        return sequenceNumber;
    }

    public void setSequenceNumber(String sequenceNumber) {
        this.sequenceNumber = sequenceNumber;
    }

    public long getSubSequenceNumber() {
        return subSequenceNumber;
    }

    public void setSubSequenceNumber(long subSequenceNumber) {
        this.subSequenceNumber = subSequenceNumber;
    }

    public long getArrivalMillis() {
        return arrivalMillis;
    }

    public void setArrivalMillis(long arrivalMillis) {
        this.arrivalMillis = arrivalMillis;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StagedRow)) {
            return false;
        }
        StagedRow that = (StagedRow) o;
        return Objects.equals(bucket, that.bucket) && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(bucket) + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "StagedRow{bucket=" + bucket + ", " + (bytes == null ? 0 : bytes.length) + " bytes}";
    }
}
