package dev.sluice.job.config;

import dev.sluice.sinks.s3.BackupMode;
import dev.sluice.sinks.s3.BufferingHints;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/**
 * Property group {@value #GROUP}: where records are staged in S3 before the warehouse COPY, the
 * role of Firehose's {@code S3Configuration}.
 *
 * <p>Data files land under {@code s3://<bucket>/<prefix>} (by default {@code
 * <prefix>YYYY/MM/dd/HH/}) and manifests under {@code s3://<bucket>/<root>manifests/}, where the
 * root is the prefix's literal part before its first expression. Keys starting with {@code s3.}
 * (endpoint, path-style access, keys) configure Flink's S3 file system for local runs only; on a
 * cluster the file system is configured by the cluster (MSF, or the Flink configuration on
 * Kubernetes).
 */
public final class StagingOptions {

    public static final String GROUP = "S3";

    public static final ConfigOption<String> BUCKET =
            ConfigOptions.key("bucket")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Bucket name for staged files and manifests (required).");

    public static final ConfigOption<String> PREFIX =
            ConfigOptions.key("prefix")
                    .stringType()
                    .defaultValue("sluice/")
                    .withDescription(
                            "Key prefix under the bucket (Firehose: Prefix), with optional"
                                    + " !{timestamp:<pattern>} expressions in UTC arrival time;"
                                    + " without expressions yyyy/MM/dd/HH/ is appended.");

    public static final ConfigOption<Integer> BUFFERING_SIZE_MB =
            ConfigOptions.key("buffering.size.mb")
                    .intType()
                    .defaultValue(BufferingHints.DEFAULT_SIZE_MB)
                    .withDescription(
                            "1–128 (Firehose: SizeInMBs). The largest a staged file grows before"
                                    + " the next is started; it does not make delivery earlier.");

    public static final ConfigOption<Integer> BUFFERING_INTERVAL_S =
            ConfigOptions.key("buffering.interval.s")
                    .intType()
                    .defaultValue(CheckpointInterval.DEFAULT_SECONDS)
                    .withDescription(
                            "0–900 (Firehose: IntervalInSeconds). The checkpoint interval, when the"
                                    + " runtime has not set one (MSF sets its own): files commit"
                                    + " and load once per checkpoint. 0 means every second.");

    public static final ConfigOption<BackupMode> BACKUP_MODE =
            ConfigOptions.key("backup.mode")
                    .enumType(BackupMode.class)
                    .defaultValue(BackupMode.NONE)
                    .withDescription(
                            "Source-record backup to <root>backup/ (Firehose: S3BackupMode): NONE,"
                                    + " ALL (every record as read from Kinesis) or FAILED_ONLY"
                                    + " (records that did not reach the data).");

    /** This group's own keys and the output format keys of {@link OutputOptions}. */
    public static final List<ConfigOption<?>> ALL = all();

    private static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> all =
                new java.util.ArrayList<>(
                        List.of(
                                BUCKET,
                                PREFIX,
                                BUFFERING_SIZE_MB,
                                BUFFERING_INTERVAL_S,
                                BACKUP_MODE));
        all.addAll(OutputOptions.SHARED);
        return List.copyOf(all);
    }

    /** Prefix of Flink's own S3 file system keys, applied in local runs. */
    public static final String FILE_SYSTEM_PREFIX = "s3.";

    private StagingOptions() {}
}
