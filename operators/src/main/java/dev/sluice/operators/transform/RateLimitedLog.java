package dev.sluice.operators.transform;

import org.slf4j.Logger;

import java.util.function.LongSupplier;

/**
 * Logs at most one line per interval and says how many it held back, so a transform failing on
 * every record of a busy stream (or an output refusing records) tells the operator without filling
 * the disk.
 *
 * <p>Callers pass only what is safe to log: record coordinates and exception class names, never
 * payloads or exception messages (either may carry personal data).
 */
public final class RateLimitedLog {

    private final long intervalMillis;
    private final LongSupplier clock;
    private long nextAllowedAt = Long.MIN_VALUE;
    private long suppressed;

    public RateLimitedLog(long intervalMillis, LongSupplier clock) {
        this.intervalMillis = intervalMillis;
        this.clock = clock;
    }

    /**
     * @return whether the line was written
     */
    public boolean warn(Logger log, String format, Object... args) {
        long now = clock.getAsLong();
        if (now < nextAllowedAt) {
            suppressed++;
            return false;
        }
        nextAllowedAt = now + intervalMillis;
        if (suppressed > 0) {
            log.warn(format + " ({} similar lines suppressed)", append(args, suppressed));
        } else {
            log.warn(format, args);
        }
        suppressed = 0;
        return true;
    }

    private static Object[] append(Object[] args, Object extra) {
        Object[] out = new Object[args.length + 1];
        System.arraycopy(args, 0, out, 0, args.length);
        out[args.length] = extra;
        return out;
    }
}
