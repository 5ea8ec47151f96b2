package dev.sluice.sinks.s3;

import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.DateTimeBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import java.time.ZoneOffset;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Builds the {@link FileSink} that stages records in S3 as GZIP JSON lines under {@code
 * <base>/YYYY/MM/dd/HH/}, the layout Firehose users know.
 *
 * <p>Files roll on every checkpoint and become visible only when that checkpoint completes
 * (FileSink's two-phase commit), which is what makes them safe to COPY exactly once. The hour
 * directory is the UTC processing time at which the record reached the sink, the analogue of
 * Firehose's arrival-time prefix.
 */
public final class StagingFileSink {

    /** Firehose's default {@code YYYY/MM/dd/HH} prefix, in UTC. */
    public static final String DEFAULT_BUCKET_FORMAT = "yyyy/MM/dd/HH";

    public static final String DEFAULT_PART_PREFIX = "sluice";

    public static final String JSON_GZIP_SUFFIX = ".json.gz";

    private StagingFileSink() {}

    /**
     * @param basePath where data files go, e.g. {@code s3://bucket/prefix/data}
     * @param partPrefix the start of each object name, so a person can tell outputs apart
     */
    public static FileSink<byte[]> gzipJsonLines(Path basePath, String partPrefix) {
        checkNotNull(basePath, "basePath");
        checkArgument(
                partPrefix != null && partPrefix.matches("[A-Za-z0-9._-]+"),
                "part prefix must be letters, digits, '.', '_' or '-', got: %s",
                partPrefix);
        return FileSink.forBulkFormat(basePath, new GzipJsonLinesWriterFactory())
                .withBucketAssigner(
                        new DateTimeBucketAssigner<>(DEFAULT_BUCKET_FORMAT, ZoneOffset.UTC))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(
                        OutputFileConfig.builder()
                                .withPartPrefix(partPrefix)
                                .withPartSuffix(JSON_GZIP_SUFFIX)
                                .build())
                .build();
    }
}
