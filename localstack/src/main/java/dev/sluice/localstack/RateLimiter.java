package dev.sluice.localstack;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces a producer to at most a number of records per second, averaged from the first record: a
 * batch of {@code n} may start once the records before it would have taken their share of time at
 * that rate. Bursts never exceed one batch.
 */
final class RateLimiter {

    /** Sleeps for a number of nanoseconds; replaceable so tests need no real time. */
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final double recordsPerSecond;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long startNanos = -1;
    private long admitted;

    /** Real time; {@code recordsPerSecond} 0 means no limit. */
    static RateLimiter perSecond(double recordsPerSecond) {
        return new RateLimiter(
                recordsPerSecond, System::nanoTime, nanos -> TimeUnit.NANOSECONDS.sleep(nanos));
    }

    RateLimiter(double recordsPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (recordsPerSecond < 0) {
            throw new IllegalArgumentException("a rate is at least 0 (0: no limit)");
        }
        this.recordsPerSecond = recordsPerSecond;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    /** Waits until {@code records} more may be sent. */
    void acquire(int records) {
        if (recordsPerSecond == 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (startNanos < 0) {
            startNanos = now;
        }
        long due = startNanos + (long) (admitted / recordsPerSecond * 1e9);
        admitted += records;
        if (due > now) {
            try {
                sleeper.sleepNanos(due - now);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while pacing PutRecords", e);
            }
        }
    }
}
