package dev.sluice.sinks.s3.format;

/**
 * The file formats an S3 output can write (Firehose: the destination's data format, with record
 * format conversion for Parquet).
 */
public enum OutputFormat {
    /** One JSON document per line, as the transform stage produced it. */
    JSON("json"),
    /** RFC 4180 CSV of a declared column list, taken from the record's top-level JSON fields. */
    CSV("csv"),
    /** Apache Parquet of an Avro schema: the role of the Glue table in Firehose's conversion. */
    PARQUET("parquet");

    private final String extension;

    OutputFormat(String extension) {
        this.extension = extension;
    }

    /** The file name extension before any compression suffix, e.g. {@code json}. */
    public String extension() {
        return extension;
    }

    /** What a user gets without choosing: GZIP for text, Snappy for Parquet (as Firehose). */
    public Compression defaultCompression() {
        // Not a constructor argument: Compression's constants refer to these, and whichever enum
        // initialises first would see the other's constants still null.
        return this == PARQUET ? Compression.SNAPPY : Compression.GZIP;
    }
}
