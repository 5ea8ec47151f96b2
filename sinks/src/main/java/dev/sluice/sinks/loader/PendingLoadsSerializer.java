package dev.sluice.sinks.loader;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.List;

/**
 * Versioned serializer for {@link PendingLoads}, the state of {@link WarehouseLoaderOperator}.
 *
 * <p>Version 2 layout: the highest sealed checkpoint (long, {@link PendingLoads#NONE_SEALED} if
 * none); the {@link CommittedFileSerializer} version (int); the number of checkpoints (int), and
 * per checkpoint: its id (long), the number of committables (int), each as int length and bytes;
 * then the number of already loaded urls (int) and each url (UTF).
 *
 * <p>Version 1 (before loads survived a rescale) grouped each checkpoint's committables by
 * committer subtask: per checkpoint its id (long), the committer's parallelism (int), the number of
 * subtask entries (int), per entry its subtask index (int), announced committables (int) and
 * received committables (int count, each as int length and bytes); then the loaded urls as above,
 * and no sealed checkpoint. It stays readable; the committer counts are dropped, as completeness no
 * longer depends on them.
 *
 * <p>Committables keep their own serializer version, so {@link CommittedFile} can evolve without
 * this layout changing.
 */
final class PendingLoadsSerializer implements SimpleVersionedSerializer<PendingLoads> {

    static final int VERSION = 2;

    private final CommittedFileSerializer committables = new CommittedFileSerializer();

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(PendingLoads pending) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        out.writeLong(pending.sealedThrough());
        out.writeInt(committables.getVersion());
        out.writeInt(pending.checkpoints().size());
        for (PendingCheckpoint checkpoint : pending.checkpoints().values()) {
            out.writeLong(checkpoint.checkpointId());
            List<CommittedFile> received = checkpoint.committables();
            out.writeInt(received.size());
            for (CommittedFile committed : received) {
                byte[] bytes = committables.serialize(committed);
                out.writeInt(bytes.length);
                out.write(bytes);
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
        if (version < 1 || version > VERSION) {
            throw new IOException(
                    "Unknown PendingLoads serializer version "
                            + version
                            + "; this Sluice reads 1 to "
                            + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        PendingLoads pending = new PendingLoads();
        long sealedThrough = version == 1 ? PendingLoads.NONE_SEALED : in.readLong();
        int committableVersion = in.readInt();
        int checkpointCount = in.readInt();
        for (int c = 0; c < checkpointCount; c++) {
            long checkpointId = in.readLong();
            if (version == 1) {
                in.readInt(); // the committer's parallelism
                int subtaskEntries = in.readInt();
                for (int s = 0; s < subtaskEntries; s++) {
                    in.readInt(); // the committer subtask
                    in.readInt(); // the committables it announced
                    readCommittables(in, committableVersion, pending);
                }
            } else {
                readCommittables(in, committableVersion, pending);
            }
            PendingCheckpoint checkpoint =
                    pending.checkpoints().computeIfAbsent(checkpointId, PendingCheckpoint::new);
            int loaded = in.readInt();
            for (int l = 0; l < loaded; l++) {
                checkpoint.loadedUrls().add(in.readUTF());
            }
        }
        pending.sealThrough(sealedThrough);
        return pending;
    }

    private void readCommittables(DataInputDeserializer in, int version, PendingLoads pending)
            throws IOException {
        int count = in.readInt();
        for (int r = 0; r < count; r++) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            pending.add(committables.deserialize(version, bytes));
        }
    }
}
