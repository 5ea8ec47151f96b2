package dev.sluice.sinks.s3.format;

import java.util.zip.Deflater;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * The deflate level of GZIP text files: 1 ({@link Deflater#BEST_SPEED}) to 9 ({@link
 * Deflater#BEST_COMPRESSION}).
 *
 * <p>The default is 1, the fastest. Deflating is the largest single CPU cost of JSON and CSV
 * staging, and CPU is what a Flink job is billed by (KPU-hours), while the staged files are read
 * once by the COPY and cost little to keep: level 1 took about a tenth off the JVM's CPU per record
 * of JSON staging in the pipeline benchmark, for files about a fifth larger than zlib's default
 * level 6. Sluice used level 6 until 2026-12-02; set it again where staged bytes matter more. See
 * docs/benchmarks.md.
 */
public final class GzipLevel {

    public static final int FASTEST = Deflater.BEST_SPEED;

    public static final int SMALLEST = Deflater.BEST_COMPRESSION;

    /** Sluice's default: {@link #FASTEST}; see the class comment. */
    public static final int DEFAULT = FASTEST;

    private GzipLevel() {}

    /**
     * @return {@code level}
     * @throws IllegalArgumentException outside 1–9
     */
    public static int check(int level) {
        checkArgument(
                level >= FASTEST && level <= SMALLEST,
                "the GZIP level must be between %s (fastest) and %s (smallest), not %s",
                FASTEST,
                SMALLEST,
                level);
        return level;
    }
}
