package dev.sluice.sinks.s3;

import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.CheckpointRollingPolicy;

import java.io.IOException;

/**
 * Rolls every part file on checkpoints, as bulk formats must, and also when it reaches a size cap,
 * so no staged file outgrows the buffering size. Never rolls on processing time: a file rolled
 * between checkpoints is not visible any earlier.
 *
 * <p>The size is what the writer has handed to the file system so far. For compressed formats that
 * trails the records added by what the compressor still buffers (tens of KiB), so a file can end
 * slightly above the cap.
 */
public final class SizeCappedCheckpointRollingPolicy<IN, BucketID>
        extends CheckpointRollingPolicy<IN, BucketID> {

    private static final long serialVersionUID = 1L;

    private final long maxPartFileBytes;

    public SizeCappedCheckpointRollingPolicy(long maxPartFileBytes) {
        if (maxPartFileBytes <= 0) {
            throw new IllegalArgumentException(
                    "maxPartFileBytes must be positive, got " + maxPartFileBytes);
        }
        this.maxPartFileBytes = maxPartFileBytes;
    }

    @Override
    public boolean shouldRollOnEvent(PartFileInfo<BucketID> partFileState, IN element)
            throws IOException {
        return partFileState.getSize() >= maxPartFileBytes;
    }

    @Override
    public boolean shouldRollOnProcessingTime(PartFileInfo<BucketID> partFileState, long time) {
        return false;
    }

    public long maxPartFileBytes() {
        return maxPartFileBytes;
    }
}
