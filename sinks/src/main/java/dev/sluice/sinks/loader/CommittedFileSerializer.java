package dev.sluice.sinks.loader;

import dev.sluice.operators.source.position.SourcePositions;
import dev.sluice.sinks.warehouse.StagedFile;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/**
 * Versioned serializer for {@link CommittedFile}, within the state of the warehouse loader.
 *
 * <p>Version 1 layout: checkpoint id (long), has-file flag (boolean), then url (UTF) and size
 * (long) when present. Version 2 appends has-job-id (boolean) and job id (UTF), has-watermark
 * (boolean) and watermark (long, epoch millis). Version 3 appends the writer subtask (int) and the
 * writer's parallelism (int). Version 4 appends the files a watermark carrier counts (int, -1 on
 * anything else). Version 5 appends a carrier's source positions ({@link SourcePositions#write};
 * none on anything else). Every older version stays readable, so that savepoints taken by older
 * Sluice releases still restore.
 */
public final class CommittedFileSerializer implements SimpleVersionedSerializer<CommittedFile> {

    static final int VERSION = 5;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(CommittedFile committed) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeLong(committed.checkpointId());
        out.writeBoolean(committed.file().isPresent());
        if (committed.file().isPresent()) {
            StagedFile file = committed.file().get();
            out.writeUTF(file.url());
            out.writeLong(file.sizeBytes());
        }
        out.writeBoolean(committed.jobId().isPresent());
        if (committed.jobId().isPresent()) {
            out.writeUTF(committed.jobId().get());
        }
        out.writeBoolean(committed.eventTimeWatermark().isPresent());
        if (committed.eventTimeWatermark().isPresent()) {
            out.writeLong(committed.eventTimeWatermark().get());
        }
        out.writeInt(committed.writerSubtask());
        out.writeInt(committed.writerSubtasks());
        out.writeInt(committed.stagedFiles());
        committed.positions().write(out);
        return out.getCopyOfBuffer();
    }

    @Override
    public CommittedFile deserialize(int version, byte[] serialized) throws IOException {
        if (version < 1 || version > VERSION) {
            throw new IOException(
                    "Unknown CommittedFile serializer version "
                            + version
                            + "; this Sluice reads "
                            + "1 to "
                            + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        long checkpointId = in.readLong();
        StagedFile file = in.readBoolean() ? new StagedFile(in.readUTF(), in.readLong()) : null;
        if (version == 1) {
            return new CommittedFile(checkpointId, file);
        }
        String jobId = in.readBoolean() ? in.readUTF() : null;
        Long watermark = in.readBoolean() ? in.readLong() : null;
        if (version == 2) {
            return new CommittedFile(checkpointId, file, jobId, watermark);
        }
        int subtask = in.readInt();
        int subtasks = in.readInt();
        if (version == 3) {
            return new CommittedFile(checkpointId, file, jobId, watermark, subtask, subtasks);
        }
        int stagedFiles = in.readInt();
        if (version == 4) {
            return new CommittedFile(
                    checkpointId, file, jobId, watermark, subtask, subtasks, stagedFiles);
        }
        return new CommittedFile(
                checkpointId,
                file,
                jobId,
                watermark,
                subtask,
                subtasks,
                stagedFiles,
                SourcePositions.read(in));
    }
}
