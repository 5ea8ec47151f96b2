package dev.sluice.sinks.s3.format;

import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record on its way into an S3 output: already encoded in the output's format, with the
 * directory (bucket, in FileSink's terms) it belongs in already decided.
 *
 * <p>Both are decided upstream of the sink by {@link dev.sluice.sinks.s3.OutputRowFunction}, so the
 * writer only appends bytes and the bucket assigner only reads a field; neither can fail on a bad
 * record. Flat, so Flink serializes it with its POJO serializer.
 */
public class StagedRow {

    public static final TypeInformation<StagedRow> TYPE_INFO = TypeInformation.of(StagedRow.class);

    private String bucket;
    private byte[] bytes;

    /** For Flink's POJO serializer. */
    public StagedRow() {}

    public StagedRow(String bucket, byte[] bytes) {
        this.bucket = bucket;
        this.bytes = bytes;
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
