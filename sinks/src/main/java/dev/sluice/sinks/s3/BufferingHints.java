package dev.sluice.sinks.s3;

import java.io.Serializable;

/**
 * Firehose's buffering hints, and what they mean for a job whose files commit on checkpoints.
 *
 * <p>Firehose flushes a buffer when it reaches {@code SizeInMBs} or when {@code IntervalInSeconds}
 * have passed, whichever comes first. In Sluice a staged file becomes visible, and is loaded, only
 * when the checkpoint that covers it completes — that is what makes delivery exactly-once. So:
 *
 * <ul>
 *   <li>the <b>interval</b> is the checkpoint interval: every interval, every open file is
 *       committed and loaded. {@code 0} (Firehose: "no buffering") means the shortest interval
 *       Sluice runs, {@value #MIN_CHECKPOINT_INTERVAL_MS} ms;
 *   <li>the <b>size</b> caps each staged file: a file that reaches it is closed and a new one is
 *       started, but the closed file still waits for the next checkpoint. A full buffer does not
 *       make delivery earlier, as it does in Firehose; it only keeps files to a size COPY handles
 *       well.
 * </ul>
 */
public final class BufferingHints implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final int MIN_SIZE_MB = 1;
    public static final int MAX_SIZE_MB = 128;
    public static final int MIN_INTERVAL_SECONDS = 0;
    public static final int MAX_INTERVAL_SECONDS = 900;

    /** Firehose's largest buffer: few, large files are what COPY loads fastest. */
    public static final int DEFAULT_SIZE_MB = 128;

    /**
     * A minute, not Firehose's five: Sluice has no buffering floor, and a checkpoint a minute is
     * cheap for this job's small state.
     */
    public static final int DEFAULT_INTERVAL_SECONDS = 60;

    static final long MIN_CHECKPOINT_INTERVAL_MS = 1_000L;

    private final int sizeMb;
    private final int intervalSeconds;

    private BufferingHints(int sizeMb, int intervalSeconds) {
        this.sizeMb = sizeMb;
        this.intervalSeconds = intervalSeconds;
    }

    /**
     * @throws IllegalArgumentException naming the hint and its range when a value is outside it
     */
    public static BufferingHints of(int sizeMb, int intervalSeconds) {
        if (sizeMb < MIN_SIZE_MB || sizeMb > MAX_SIZE_MB) {
            throw new IllegalArgumentException(
                    String.format(
                            "Buffering size must be %d–%d MB (Firehose SizeInMBs), got %d",
                            MIN_SIZE_MB, MAX_SIZE_MB, sizeMb));
        }
        if (intervalSeconds < MIN_INTERVAL_SECONDS || intervalSeconds > MAX_INTERVAL_SECONDS) {
            throw new IllegalArgumentException(
                    String.format(
                            "Buffering interval must be %d–%d s (Firehose IntervalInSeconds), got %d",
                            MIN_INTERVAL_SECONDS, MAX_INTERVAL_SECONDS, intervalSeconds));
        }
        return new BufferingHints(sizeMb, intervalSeconds);
    }

    public static BufferingHints defaults() {
        return of(DEFAULT_SIZE_MB, DEFAULT_INTERVAL_SECONDS);
    }

    public int sizeMb() {
        return sizeMb;
    }

    public int intervalSeconds() {
        return intervalSeconds;
    }

    /** The largest a staged part file grows before the next one is started. */
    public long maxPartFileBytes() {
        return sizeMb * 1024L * 1024L;
    }

    /** The checkpoint interval that delivers on this buffering interval. */
    public long checkpointIntervalMs() {
        return Math.max(MIN_CHECKPOINT_INTERVAL_MS, intervalSeconds * 1000L);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BufferingHints
                && ((BufferingHints) o).sizeMb == sizeMb
                && ((BufferingHints) o).intervalSeconds == intervalSeconds;
    }

    @Override
    public int hashCode() {
        return 31 * sizeMb + intervalSeconds;
    }

    @Override
    public String toString() {
        return "BufferingHints{sizeMb=" + sizeMb + ", intervalSeconds=" + intervalSeconds + '}';
    }
}
