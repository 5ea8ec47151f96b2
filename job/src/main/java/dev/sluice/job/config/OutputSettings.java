package dev.sluice.job.config;

import dev.sluice.sinks.s3.BufferingHints;
import dev.sluice.sinks.s3.format.FileFormat;
import dev.sluice.sinks.s3.prefix.PrefixTemplate;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * One S3 output, validated: where its files go, in which format, and how large they grow.
 *
 * <p>The staging output (the files the warehouse loads) is one of these, named {@value #STAGING};
 * further outputs come from {@code Output.<name>} groups (see {@link OutputOptions}).
 */
public final class OutputSettings {

    /** The name of the output that the warehouse loader reads. */
    public static final String STAGING = "staging";

    private final String name;
    private final String bucket;
    private final PrefixTemplate prefix;
    private final FileFormat format;
    private final BufferingHints buffering;
    private final int maxOpenPartitions;

    OutputSettings(
            String name,
            String bucket,
            PrefixTemplate prefix,
            FileFormat format,
            BufferingHints buffering,
            int maxOpenPartitions) {
        this.name = checkNotNull(name, "name");
        this.bucket = checkNotNull(bucket, "bucket");
        this.prefix = checkNotNull(prefix, "prefix");
        this.format = checkNotNull(format, "format");
        this.buffering = checkNotNull(buffering, "buffering");
        this.maxOpenPartitions = maxOpenPartitions;
    }

    /** {@value #STAGING} or the {@code <name>} of an {@code Output.<name>} group. */
    public String name() {
        return name;
    }

    public String bucket() {
        return bucket;
    }

    /** {@code s3://bucket}. */
    public String bucketUri() {
        return "s3://" + bucket;
    }

    /** The prefix, rendering {@code !{timestamp:…}} from the configured time source. */
    public PrefixTemplate prefix() {
        return prefix;
    }

    /** {@code s3://bucket/<root>}: the fixed directory holding the files and the errors. */
    public String rootUri() {
        return bucketUri() + "/" + prefix.root();
    }

    public FileFormat format() {
        return format;
    }

    public BufferingHints buffering() {
        return buffering;
    }

    /** Directories one writer subtask may open between two checkpoints. */
    public int maxOpenPartitions() {
        return maxOpenPartitions;
    }

    public boolean isStaging() {
        return STAGING.equals(name);
    }

    /**
     * Short, for operator names: Flink cuts metric scope names at 80 characters, so the location
     * (in {@link #toString()}) stays out of them.
     */
    public String label() {
        return name + " (" + format + ")";
    }

    @Override
    public String toString() {
        return name + " (" + format + " → " + rootUri() + ")";
    }
}
