package dev.sluice.sinks.s3.format;

import java.util.zip.Deflater;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * The deflate level of GZIP text files: 1 ({@link Deflater#BEST_SPEED}) to 9 ({@link
 * Deflater#BEST_COMPRESSION}).
 *
 * <p>The default is 6, zlib's own default and what {@code java.util.zip.GZIPOutputStream} and the
 * {@code gzip} tool use, so files are as small as before the level could be chosen. Deflating is
 * the largest single CPU cost of JSON and CSV staging; see docs/benchmarks.md for what level 1
 * saves and what it adds to the files.
 */
public final class GzipLevel {

    public static final int FASTEST = Deflater.BEST_SPEED;

    public static final int SMALLEST = Deflater.BEST_COMPRESSION;

    /** zlib's default level (what {@link Deflater#DEFAULT_COMPRESSION} selects). */
    public static final int DEFAULT = 6;

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
