package dev.sluice.sinks.s3;

import dev.sluice.sinks.s3.errors.ErrorOutput;
import dev.sluice.sinks.s3.format.FileFormat;
import dev.sluice.sinks.s3.format.GzipJsonLinesWriterFactory;
import dev.sluice.sinks.s3.format.StagedRow;
import dev.sluice.sinks.s3.prefix.PrefixTemplate;

import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Builds the job's {@link FileSink}s: each output's data sink, which stages records in S3 in the
 * output's {@link FileFormat} (GZIP JSON lines by default; CSV or Parquet) under a Firehose-style
 * prefix ({@code <prefix>YYYY/MM/dd/HH/} unless the prefix says otherwise), and the GZIP JSON lines
 * sinks of its {@link ErrorOutput error outputs} and of the {@link SourceBackup source backup}.
 *
 * <p>Files become visible only when the checkpoint that covers them completes (FileSink's two-phase
 * commit), which is what makes them safe to COPY exactly once. They roll on every checkpoint and
 * when they reach the buffering size (see {@link BufferingHints} for what that does and does not
 * change).
 */
public final class OutputFileSinks {

    public static final String DEFAULT_PART_PREFIX = "sluice";

    public static final String JSON_GZIP_SUFFIX = ".json.gz";

    private OutputFileSinks() {}

    /**
     * The sink of one S3 output: rows already encoded and placed by {@link OutputRowFunction}.
     *
     * @param bucketUri the bucket, e.g. {@code s3://my-bucket}
     * @param root the output prefix's {@link PrefixTemplate#root()}, the FileSink's base path
     * @param format writes the rows and names the files' suffix
     * @param hints the buffering size caps each part file
     * @param outputName the start of each object name, so a person can tell outputs apart
     */
    public static FileSink<StagedRow> forRows(
            String bucketUri,
            String root,
            FileFormat format,
            BufferingHints hints,
            String outputName) {
        checkNotNull(format, "format");
        return FileSink.forBulkFormat(basePath(bucketUri, root), format.writerFactory())
                .withBucketAssigner(new RowBucketAssigner())
                .withRollingPolicy(
                        new SizeCappedCheckpointRollingPolicy<>(hints.maxPartFileBytes()))
                .withOutputFileConfig(outputFileConfig(outputName, format.fileSuffix()))
                .build();
    }

    /**
     * @param bucketUri the bucket, e.g. {@code s3://my-bucket}
     * @param prefix where files go under the bucket; its root is the FileSink's base path
     * @param hints the buffering size caps each part file
     * @param partPrefix the start of each object name, so a person can tell outputs apart
     */
    public static FileSink<byte[]> gzipJsonLines(
            String bucketUri, PrefixTemplate prefix, BufferingHints hints, String partPrefix) {
        checkNotNull(bucketUri, "bucketUri");
        checkNotNull(prefix, "prefix");
        checkNotNull(hints, "hints");
        return FileSink.forBulkFormat(
                        basePath(bucketUri, prefix.root()), new GzipJsonLinesWriterFactory())
                .withBucketAssigner(new PrefixBucketAssigner<>(prefix))
                .withRollingPolicy(
                        new SizeCappedCheckpointRollingPolicy<>(hints.maxPartFileBytes()))
                .withOutputFileConfig(outputFileConfig(partPrefix, JSON_GZIP_SUFFIX))
                .build();
    }

    /**
     * The file sink of one error output under the data prefix's fixed part, in hourly directories.
     *
     * @param bucketUri e.g. {@code s3://bucket}
     * @param root the data prefix's {@link PrefixTemplate#root()}
     * @param hints the same buffering as the data, so error files commit with the same cadence
     */
    public static FileSink<byte[]> errors(
            ErrorOutput output, String bucketUri, String root, BufferingHints hints) {
        checkNotNull(output, "output");
        return gzipJsonLines(
                bucketUri,
                PrefixTemplate.parse(output.prefix(root)),
                hints,
                ErrorOutput.PART_PREFIX);
    }

    /** The source backup's file sink: same bucket and buffering as the data. */
    public static FileSink<byte[]> backup(String bucketUri, String root, BufferingHints hints) {
        return gzipJsonLines(
                bucketUri,
                PrefixTemplate.parse(SourceBackup.prefix(root)),
                hints,
                SourceBackup.PART_PREFIX);
    }

    private static Path basePath(String bucketUri, String root) {
        checkNotNull(bucketUri, "bucketUri");
        checkNotNull(root, "root");
        String base = bucketUri.endsWith("/") ? bucketUri : bucketUri + "/";
        return new Path(base + root);
    }

    private static OutputFileConfig outputFileConfig(String partPrefix, String suffix) {
        checkArgument(
                partPrefix != null && partPrefix.matches("[A-Za-z0-9._-]+"),
                "part prefix must be letters, digits, '.', '_' or '-', got: %s",
                partPrefix);
        return OutputFileConfig.builder().withPartPrefix(partPrefix).withPartSuffix(suffix).build();
    }
}
