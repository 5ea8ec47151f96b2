package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.StagedFile;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/**
 * Versioned serializer for {@link CommittedFile}, the state of the loader's global committer.
 *
 * <p>Version 1 layout: checkpoint id (long), has-file flag (boolean), then url (UTF) and size
 * (long) when present. A new layout must get a new version and keep reading version 1, so that
 * savepoints taken by older Sluice releases still restore.
 */
public final class CommittedFileSerializer implements SimpleVersionedSerializer<CommittedFile> {

    static final int VERSION = 1;

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
        return out.getCopyOfBuffer();
    }

    @Override
    public CommittedFile deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException(
                    "Unknown CommittedFile serializer version " + version + "; this Sluice reads "
                            + VERSION);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        long checkpointId = in.readLong();
        StagedFile file = in.readBoolean() ? new StagedFile(in.readUTF(), in.readLong()) : null;
        return new CommittedFile(checkpointId, file);
    }
}
