package dev.sluice.sinks.s3.format;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.util.Arrays;

/**
 * Serializes a {@link StagedRow} field by field, in a fixed order, without reflection.
 *
 * <p>Why not Flink's POJO serializer: with the {@code POLLING} and {@code EFO} sources every staged
 * row crosses the one edge Flink cannot chain (into the staging writer, see {@code
 * OutputRowFunction}), so it is serialized and deserialized once per record. The POJO serializer
 * reads and writes each of the seven fields through reflection, with a null marker per field and a
 * subclass flag per row, and builds each row through its no-argument constructor; this one writes
 * the fields directly.
 *
 * <p>Layout: bucket, stream, shard id and sequence number as Flink {@link StringValue}s (which
 * encode null), the bytes as a length ({@code -1} for null) and the bytes, then sub-sequence number
 * and arrival millis as longs. Rows are not kept in Flink state (with aligned checkpoints nothing
 * in flight is checkpointed), so the layout can change with a new snapshot version without
 * migrating anything; the snapshot exists so Flink can check that both ends of an edge agree.
 */
public final class StagedRowSerializer extends TypeSerializerSingleton<StagedRow> {

    private static final long serialVersionUID = 1L;

    public static final StagedRowSerializer INSTANCE = new StagedRowSerializer();

    private StagedRowSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public StagedRow createInstance() {
        return new StagedRow();
    }

    @Override
    public StagedRow copy(StagedRow from) {
        return copy(from, new StagedRow());
    }

    @Override
    public StagedRow copy(StagedRow from, StagedRow reuse) {
        reuse.setBucket(from.getBucket());
        byte[] bytes = from.getBytes();
        reuse.setBytes(bytes == null ? null : Arrays.copyOf(bytes, bytes.length));
        reuse.setStream(from.getStream());
        reuse.setShardId(from.getShardId());
        reuse.setSequenceNumber(from.getSequenceNumber());
        reuse.setSubSequenceNumber(from.getSubSequenceNumber());
        reuse.setArrivalMillis(from.getArrivalMillis());
        return reuse;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(StagedRow row, DataOutputView target) throws IOException {
        StringValue.writeString(row.getBucket(), target);
        StringValue.writeString(row.getStream(), target);
        StringValue.writeString(row.getShardId(), target);
        StringValue.writeString(row.getSequenceNumber(), target);
        byte[] bytes = row.getBytes();
        if (bytes == null) {
            target.writeInt(-1);
        } else {
            target.writeInt(bytes.length);
            target.write(bytes);
        }
        target.writeLong(row.getSubSequenceNumber());
        target.writeLong(row.getArrivalMillis());
    }

    @Override
    public StagedRow deserialize(DataInputView source) throws IOException {
        return deserialize(new StagedRow(), source);
    }

    @Override
    public StagedRow deserialize(StagedRow reuse, DataInputView source) throws IOException {
        reuse.setBucket(StringValue.readString(source));
        reuse.setStream(StringValue.readString(source));
        reuse.setShardId(StringValue.readString(source));
        reuse.setSequenceNumber(StringValue.readString(source));
        int length = source.readInt();
        byte[] bytes = null;
        if (length >= 0) {
            bytes = new byte[length];
            source.readFully(bytes);
        }
        reuse.setBytes(bytes);
        reuse.setSubSequenceNumber(source.readLong());
        reuse.setArrivalMillis(source.readLong());
        return reuse;
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        for (int i = 0; i < 4; i++) {
            StringValue.copyString(source, target);
        }
        int length = source.readInt();
        target.writeInt(length);
        if (length > 0) {
            target.write(source, length);
        }
        target.writeLong(source.readLong());
        target.writeLong(source.readLong());
    }

    @Override
    public TypeSerializerSnapshot<StagedRow> snapshotConfiguration() {
        return new StagedRowSerializerSnapshot();
    }

    /** Version 1: the layout above. */
    public static final class StagedRowSerializerSnapshot
            extends SimpleTypeSerializerSnapshot<StagedRow> {

        public StagedRowSerializerSnapshot() {
            super(() -> INSTANCE);
        }
    }
}
