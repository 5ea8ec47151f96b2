package dev.sluice.sinks.s3;

import java.util.HashSet;
import java.util.Set;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * The partitions (FileSink buckets) one subtask has sent rows to since its last checkpoint, up to a
 * limit, which bounds the part files its writer keeps open at once.
 *
 * <p>Each open part file holds a multipart upload, a local buffer file and writer memory (a Parquet
 * row group), so a partition key with thousands of values seen in one checkpoint would otherwise
 * exhaust the task manager. Firehose has the same bound (500 active partitions by default) for the
 * same reason.
 */
final class OpenPartitions {

    private final int max;
    private final Set<String> open = new HashSet<>();

    OpenPartitions(int max) {
        checkArgument(max > 0, "the open-partition limit must be positive, not %s", max);
        this.max = max;
    }

    /**
     * @return whether a row may go to {@code bucket}: it is already open, or there is room to open
     *     it (which this records)
     */
    boolean admit(String bucket) {
        if (open.contains(bucket)) {
            return true;
        }
        if (open.size() >= max) {
            return false;
        }
        open.add(bucket);
        return true;
    }

    /** The writer closes every part file on a checkpoint: all partitions start closed again. */
    void checkpointed() {
        open.clear();
    }

    int max() {
        return max;
    }

    int size() {
        return open.size();
    }
}
