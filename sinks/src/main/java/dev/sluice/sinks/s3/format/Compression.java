package dev.sluice.sinks.s3.format;

import java.util.EnumSet;
import java.util.Set;

/**
 * Compression of an S3 output's files. Text formats compress the whole file (GZIP), Parquet
 * compresses its pages inside the file (Snappy, ZSTD), so each format allows only some of them.
 */
public enum Compression {
    NONE(EnumSet.allOf(OutputFormat.class)),
    GZIP(EnumSet.of(OutputFormat.JSON, OutputFormat.CSV)),
    SNAPPY(EnumSet.of(OutputFormat.PARQUET)),
    ZSTD(EnumSet.of(OutputFormat.PARQUET));

    private final Set<OutputFormat> formats;

    Compression(Set<OutputFormat> formats) {
        this.formats = formats;
    }

    public boolean supports(OutputFormat format) {
        return formats.contains(format);
    }

    /**
     * @throws IllegalArgumentException naming the formats this compression can be used with
     */
    public void checkSupportedBy(OutputFormat format) {
        if (!supports(format)) {
            throw new IllegalArgumentException(
                    "compression "
                            + this
                            + " is not available for "
                            + format
                            + " files; "
                            + format
                            + " takes one of "
                            + allowedFor(format));
        }
    }

    /** The compressions a format can be written with. */
    public static Set<Compression> allowedFor(OutputFormat format) {
        Set<Compression> allowed = EnumSet.noneOf(Compression.class);
        for (Compression c : values()) {
            if (c.supports(format)) {
                allowed.add(c);
            }
        }
        return allowed;
    }
}
