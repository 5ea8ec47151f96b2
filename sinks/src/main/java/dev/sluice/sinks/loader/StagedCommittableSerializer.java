package dev.sluice.sinks.loader;

import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/**
 * Versioned serializer for {@link StagedCommittable}, part of the FileSink committer's state.
 *
 * <p>Version 1 layout: the FileSink committable serializer's version (int), its bytes (int length,
 * bytes), has-watermark (boolean), watermark (long). The wrapped committable keeps its own
 * version, so FileSink can evolve its layout without this one changing.
 */
final class StagedCommittableSerializer implements SimpleVersionedSerializer<StagedCommittable> {

    static final int VERSION = 1;

    private final SimpleVersionedSerializer<FileSinkCommittable> files;

    StagedCommittableSerializer(SimpleVersionedSerializer<FileSinkCommittable> files) {
        this.files = files;
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(StagedCommittable staged) throws IOException {
        byte[] committable = files.serialize(staged.committable());
        DataOutputSerializer out = new DataOutputSerializer(committable.length + 32);
        out.writeInt(files.getVersion());
        out.writeInt(committable.length);
        out.write(committable);
        out.writeBoolean(staged.watermark() != null);
        if (staged.watermark() != null) {
            out.writeLong(staged.watermark());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public StagedCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "Unknown StagedCommittable serializer version " + version + "; this Sluice"
                            + " reads " + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int filesVersion = in.readInt();
        byte[] committable = new byte[in.readInt()];
        in.readFully(committable);
        Long watermark = in.readBoolean() ? in.readLong() : null;
        return new StagedCommittable(files.deserialize(filesVersion, committable), watermark);
    }
}
