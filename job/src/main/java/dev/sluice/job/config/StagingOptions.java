package dev.sluice.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/**
 * Property group {@value #GROUP}: where records are staged in S3 before the warehouse COPY, the
 * role of Firehose's {@code S3Configuration}.
 *
 * <p>Data files land under {@code s3://<bucket>/<prefix>YYYY/MM/dd/HH/} and manifests under
 * {@code s3://<bucket>/<prefix>manifests/}. Keys starting with {@code s3.} (endpoint, path-style
 * access, keys) configure Flink's S3 file system for local runs only; on a cluster the file
 * system is configured by the cluster (MSF, or the Flink configuration on Kubernetes).
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
                            "Key prefix under the bucket, like Firehose's Prefix; a trailing '/' is"
                                    + " added when missing.");

    public static final List<ConfigOption<?>> ALL = List.of(BUCKET, PREFIX);

    /** Prefix of Flink's own S3 file system keys, applied in local runs. */
    public static final String FILE_SYSTEM_PREFIX = "s3.";

    private StagingOptions() {}
}
