package dev.sluice.sinks.s3;

import dev.sluice.sinks.s3.format.StagedRow;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/** Puts each {@link StagedRow} in the directory {@link OutputRowFunction} chose for it. */
public final class RowBucketAssigner implements BucketAssigner<StagedRow, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getBucketId(StagedRow row, Context context) {
        return row.getBucket();
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
