package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.StagedFile;

import javax.annotation.Nullable;

import java.util.Objects;
import java.util.Optional;

/**
 * What the loader needs to know about one FileSink committable: the file that became visible,
 * if any, and the checkpoint that committed it.
 *
 * <p>Some FileSink committables only ask for a temporary file to be cleaned up and carry no
 * file; they are kept (as an empty {@code CommittedFile}) rather than dropped so the per-subtask
 * committable counts that Flink's global committer checks stay equal to what was announced.
 */
public final class CommittedFile {

    private final long checkpointId;
    @Nullable private final StagedFile file;

    public CommittedFile(long checkpointId, @Nullable StagedFile file) {
        this.checkpointId = checkpointId;
        this.file = file;
    }

    public long checkpointId() {
        return checkpointId;
    }

    public Optional<StagedFile> file() {
        return Optional.ofNullable(file);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CommittedFile)) {
            return false;
        }
        CommittedFile that = (CommittedFile) o;
        return checkpointId == that.checkpointId && Objects.equals(file, that.file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(checkpointId, file);
    }

    @Override
    public String toString() {
        return "CommittedFile{checkpointId=" + checkpointId + ", file=" + file + '}';
    }
}
