package dev.sluice.sinks.s3.errors;

import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * The error prefixes under {@code <prefix>errors/}, one per reason a record can end there, each
 * written by its own exactly-once {@code FileSink} (see {@code OutputFileSinks#errors}) of GZIP
 * JSON lines ({@link ErrorEnvelope}s) in {@code YYYY/MM/dd/HH/} UTC directories, like the data.
 *
 * <p>Error files commit on checkpoints exactly as data files do, so a record is either in the data,
 * or in the errors, once, never both and never neither.
 */
public enum ErrorOutput {
    /** The transform decided ProcessingFailed, threw, or returned no outcome. */
    PROCESSING_FAILED("processing-failed"),
    /** Event time behind the watermark, with the late-record policy {@code ERRORS}. */
    LATE("late"),
    /** The record could not be written in its output's format (CSV, Parquet, or empty JSON). */
    FORMAT_CONVERSION_FAILED("format-conversion-failed"),
    /**
     * A partition key of the output's prefix was missing, null, empty or not a scalar, or the
     * record would have opened more partitions than the output allows.
     */
    PARTITIONING_FAILED("partitioning-failed");

    /** The directory under the prefix that holds every error output. */
    public static final String ERRORS_DIRECTORY = "errors";

    /** Error objects start with this, so they are told apart from data files at a glance. */
    public static final String PART_PREFIX = "sluice-errors";

    private final String directory;

    ErrorOutput(String directory) {
        this.directory = directory;
    }

    /** e.g. {@code processing-failed} */
    public String directory() {
        return directory;
    }

    /** {@code <root>errors/<directory>/}, where {@code root} ends with '/' or is empty. */
    public String prefix(String root) {
        checkNotNull(root, "root");
        String base = root.isEmpty() || root.endsWith("/") ? root : root + "/";
        return base + ERRORS_DIRECTORY + "/" + directory + "/";
    }
}
