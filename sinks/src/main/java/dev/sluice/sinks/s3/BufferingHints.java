package dev.sluice.sinks.s3;

import java.io.Serializable;

/**
 * Firehose's buffering size hint, and what it means for a job whose files commit on checkpoints.
 *
 * <p>Firehose flushes a buffer when it reaches {@code SizeInMBs} or when {@code IntervalInSeconds}
 * have passed, whichever comes first. In Sluice a staged file becomes visible, and is loaded, only
 * when the checkpoint that covers it completes, so the interval is the job's checkpoint interval (a
 * job-level setting, not an output's). The <b>size</b> caps each staged file: a file that reaches
 * it is closed and a new one is started, but the closed file still waits for the next checkpoint. A
 * full buffer does not make delivery earlier, as it does in Firehose; it only keeps files to a size
 * COPY handles well.
 */
public final class BufferingHints implements Serializable {

    private static final long serialVersionUID = 2L;

    public static final int MIN_SIZE_MB = 1;
    public static final int MAX_SIZE_MB = 128;

    /** Firehose's largest buffer: few, large files are what COPY loads fastest. */
    public static final int DEFAULT_SIZE_MB = 128;

    private final int sizeMb;

    private BufferingHints(int sizeMb) {
        this.sizeMb = sizeMb;
    }

    /**
     * @throws IllegalArgumentException naming the hint and its range when the size is outside it
     */
    public static BufferingHints of(int sizeMb) {
        if (sizeMb < MIN_SIZE_MB || sizeMb > MAX_SIZE_MB) {
            throw new IllegalArgumentException(
                    String.format(
                            "Buffering size must be %d–%d MB (Firehose SizeInMBs), got %d",
                            MIN_SIZE_MB, MAX_SIZE_MB, sizeMb));
        }
        return new BufferingHints(sizeMb);
    }

    public static BufferingHints defaults() {
        return of(DEFAULT_SIZE_MB);
    }

    public int sizeMb() {
        return sizeMb;
    }

    /** The largest a staged part file grows before the next one is started. */
    public long maxPartFileBytes() {
        return sizeMb * 1024L * 1024L;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BufferingHints && ((BufferingHints) o).sizeMb == sizeMb;
    }

    @Override
    public int hashCode() {
        return sizeMb;
    }

    @Override
    public String toString() {
        return "BufferingHints{sizeMb=" + sizeMb + '}';
    }
}
