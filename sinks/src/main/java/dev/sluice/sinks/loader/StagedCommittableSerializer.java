package dev.sluice.sinks.loader;

import dev.sluice.operators.source.position.SourcePositions;

import org.apache.flink.connector.file.sink.FileSinkCommittable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/**
 * Versioned serializer for {@link StagedCommittable}, part of the FileSink committer's state.
 *
 * <p>Version 1 layout: the FileSink committable serializer's version (int), its bytes (int length,
 * bytes), has-watermark (boolean), watermark (long). Version 2 starts with has-committable
 * (boolean), the committable as in version 1 only when present (watermark carriers have none), then
 * has-watermark, watermark, writer subtask (int) and writer parallelism (int). Version 3 appends
 * the number of files a watermark carrier announces (int, -1 on everything else). Version 4 appends
 * a carrier's source positions ({@link SourcePositions#write}; none on everything else). The
 * wrapped committable keeps its own version, so FileSink can evolve its layout without this one
 * changing. Older versions stay readable so that savepoints of older Sluice releases restore; their
 * carriers announce no file count.
 */
final class StagedCommittableSerializer implements SimpleVersionedSerializer<StagedCommittable> {

    static final int VERSION = 4;

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
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeBoolean(staged.committable() != null);
        if (staged.committable() != null) {
            byte[] committable = files.serialize(staged.committable());
            out.writeInt(files.getVersion());
            out.writeInt(committable.length);
            out.write(committable);
        }
        out.writeBoolean(staged.watermark() != null);
        if (staged.watermark() != null) {
            out.writeLong(staged.watermark());
        }
        out.writeInt(staged.subtask());
        out.writeInt(staged.subtasks());
        out.writeInt(staged.stagedFiles());
        staged.positions().write(out);
        return out.getCopyOfBuffer();
    }

    @Override
    public StagedCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version < 1 || version > VERSION) {
            throw new IOException(
                    "Unknown StagedCommittable serializer version "
                            + version
                            + "; this Sluice"
                            + " reads 1 to "
                            + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        FileSinkCommittable committable =
                version == 1 || in.readBoolean() ? readCommittable(in) : null;
        Long watermark = in.readBoolean() ? in.readLong() : null;
        if (version == 1) {
            return new StagedCommittable(committable, watermark);
        }
        int subtask = in.readInt();
        int subtasks = in.readInt();
        if (version == 2) {
            return new StagedCommittable(committable, watermark, subtask, subtasks);
        }
        int stagedFiles = in.readInt();
        if (version == 3) {
            return new StagedCommittable(committable, watermark, subtask, subtasks, stagedFiles);
        }
        return new StagedCommittable(
                committable, watermark, subtask, subtasks, stagedFiles, SourcePositions.read(in));
    }

    private FileSinkCommittable readCommittable(DataInputDeserializer in) throws IOException {
        int filesVersion = in.readInt();
        byte[] committable = new byte[in.readInt()];
        in.readFully(committable);
        return files.deserialize(filesVersion, committable);
    }
}
