package dev.sluice.job.config;

/**
 * Firehose's buffering interval, which in Sluice is the job's checkpoint interval: a staged file
 * becomes visible, and is loaded, only when the checkpoint that covers it completes, which is what
 * makes delivery exactly once. So every interval, every open file of every output is committed and
 * loaded; {@code 0} (Firehose: "no buffering") means the shortest interval Sluice runs, {@value
 * #MIN_MS} ms.
 *
 * <p>A job-level setting, read once from group {@code S3} key {@code buffering.interval.s}. It is
 * configured in whole seconds, as Firehose's {@code IntervalInSeconds}; this class is the one place
 * that turns it into milliseconds and back.
 */
public final class CheckpointInterval {

    public static final int MIN_SECONDS = 0;
    public static final int MAX_SECONDS = 900;

    /**
     * A minute, not Firehose's five: Sluice has no buffering floor, and a checkpoint a minute is
     * cheap for this job's small state.
     */
    public static final int DEFAULT_SECONDS = 60;

    /** What {@code 0} means: Flink's checkpoints are not free, so not continuous either. */
    public static final long MIN_MS = 1_000L;

    private CheckpointInterval() {}

    /**
     * The checkpoint interval that delivers on a buffering interval of {@code seconds}.
     *
     * @throws IllegalArgumentException naming Firehose's hint and its range when outside it
     */
    public static long millisOf(int seconds) {
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException(
                    String.format(
                            "Buffering interval must be %d–%d s (Firehose IntervalInSeconds), got %d",
                            MIN_SECONDS, MAX_SECONDS, seconds));
        }
        return Math.max(MIN_MS, seconds * 1000L);
    }

    /**
     * The buffering interval, in the configuration's whole seconds, of a checkpoint interval.
     *
     * @throws IllegalArgumentException unless {@code millis} is whole seconds within the range
     */
    public static int secondsOf(long millis) {
        if (millis % 1000 != 0 || millis < MIN_MS || millis > MAX_SECONDS * 1000L) {
            throw new IllegalArgumentException(
                    "the checkpoint interval must be whole seconds, "
                            + MIN_MS
                            + "–"
                            + MAX_SECONDS * 1000L
                            + " ms; got "
                            + millis
                            + " ms");
        }
        return (int) (millis / 1000);
    }
}
