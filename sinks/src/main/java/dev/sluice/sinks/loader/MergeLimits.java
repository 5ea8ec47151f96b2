package dev.sluice.sinks.loader;

import java.io.Serializable;

/**
 * How much one load may take when the loader has fallen behind and the files of several completed
 * checkpoints are waiting: at most {@code maxFiles} files and {@code maxBytes} bytes per COPY.
 *
 * <p>Merging turns a backlog into a few large COPYs instead of one small COPY per checkpoint, which
 * is what Redshift loads fastest; the bound keeps each COPY (and its transaction, its manifest and
 * the ledger's file rows) to a size that finishes in reasonable time and that a retry can afford to
 * repeat. A single file larger than {@code maxBytes} is loaded on its own.
 *
 * @param maxFiles 1–{@value #MAX_FILES}; default {@value #DEFAULT_MAX_FILES}
 * @param maxBytes 1 MiB–{@value #MAX_MB} MiB; default {@value #DEFAULT_MAX_MB} MiB
 */
public record MergeLimits(int maxFiles, long maxBytes) implements Serializable {

    public static final int DEFAULT_MAX_FILES = 1000;
    public static final int MAX_FILES = 100_000;
    public static final long DEFAULT_MAX_MB = 1024;
    public static final long MAX_MB = 1_048_576;

    private static final long MB = 1024L * 1024L;

    public MergeLimits {
        if (maxFiles < 1 || maxFiles > MAX_FILES) {
            throw new IllegalArgumentException(
                    "A load's file limit must be 1–" + MAX_FILES + ", got " + maxFiles);
        }
        if (maxBytes < MB || maxBytes > MAX_MB * MB) {
            throw new IllegalArgumentException(
                    "A load's size limit must be 1–" + MAX_MB + " MiB, got " + maxBytes + " bytes");
        }
    }

    public static MergeLimits defaults() {
        return ofMegabytes(DEFAULT_MAX_FILES, DEFAULT_MAX_MB);
    }

    public static MergeLimits ofMegabytes(int maxFiles, long maxMegabytes) {
        if (maxMegabytes < 1 || maxMegabytes > MAX_MB) {
            throw new IllegalArgumentException(
                    "A load's size limit must be 1–" + MAX_MB + " MiB, got " + maxMegabytes);
        }
        return new MergeLimits(maxFiles, maxMegabytes * MB);
    }
}
