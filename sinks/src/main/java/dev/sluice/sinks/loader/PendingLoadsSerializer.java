package dev.sluice.sinks.loader;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.Map;

/**
 * Versioned serializer for {@link PendingLoads}, the state of {@link WarehouseLoaderOperator}.
 *
 * <p>Version 1 layout: the {@link CommittedFileSerializer} version (int); the number of checkpoints
 * (int), and per checkpoint: its id (long), the committer's parallelism (int), the number of
 * subtask entries (int), per entry its subtask index (int), announced committables (int, -1 before
 * the summary) and received committables (int count, each as int length and bytes); then the
 * number of already loaded urls (int) and each url (UTF). Committables keep their own serializer
 * version, so {@link CommittedFile} can evolve without this layout changing.
 */
final class PendingLoadsSerializer implements SimpleVersionedSerializer<PendingLoads> {

    static final int VERSION = 1;

    private final CommittedFileSerializer committables = new CommittedFileSerializer();

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(PendingLoads pending) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        out.writeInt(committables.getVersion());
        out.writeInt(pending.checkpoints().size());
        for (PendingCheckpoint checkpoint : pending.checkpoints().values()) {
            out.writeLong(checkpoint.checkpointId());
            out.writeInt(checkpoint.subtasks());
            out.writeInt(checkpoint.bySubtask().size());
            for (Map.Entry<Integer, PendingCheckpoint.Subtask> entry :
                    checkpoint.bySubtask().entrySet()) {
                out.writeInt(entry.getKey());
                out.writeInt(entry.getValue().announced);
                out.writeInt(entry.getValue().received.size());
                for (CommittedFile committed : entry.getValue().received) {
                    byte[] bytes = committables.serialize(committed);
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
            }
            out.writeInt(checkpoint.loadedUrls().size());
            for (String url : checkpoint.loadedUrls()) {
                out.writeUTF(url);
            }
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public PendingLoads deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "Unknown PendingLoads serializer version " + version + "; this Sluice reads "
                            + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        int committableVersion = in.readInt();
        PendingLoads pending = new PendingLoads();
        int checkpointCount = in.readInt();
        for (int c = 0; c < checkpointCount; c++) {
            PendingCheckpoint checkpoint = new PendingCheckpoint(in.readLong());
            checkpoint.setSubtasks(in.readInt());
            int subtaskCount = in.readInt();
            for (int s = 0; s < subtaskCount; s++) {
                PendingCheckpoint.Subtask subtask = new PendingCheckpoint.Subtask();
                int index = in.readInt();
                subtask.announced = in.readInt();
                int received = in.readInt();
                for (int r = 0; r < received; r++) {
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    subtask.received.add(committables.deserialize(committableVersion, bytes));
                }
                checkpoint.bySubtask().put(index, subtask);
            }
            int loaded = in.readInt();
            for (int l = 0; l < loaded; l++) {
                checkpoint.loadedUrls().add(in.readUTF());
            }
            pending.checkpoints().put(checkpoint.checkpointId(), checkpoint);
        }
        return pending;
    }
}
