package dev.sluice.sinks.warehouse;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How long and how often a transient load failure is retried: Firehose's {@code
 * RetryOptions.DurationInSeconds} plus exponential backoff with full jitter.
 *
 * <p>The n-th wait (n from 0) is a uniformly random time in {@code [0, min(maxBackoff,
 * initialBackoff * 2^n)]}: "full jitter", so that several jobs hit by the same outage don't come
 * back in lockstep. A wait never runs past the retry window; once the window has passed since the
 * first failure the load gives up. A window of zero means one attempt and no retry, as in Firehose.
 *
 * <p>The settings' defaults and ranges are the constants below; each is described once, in {@code
 * docs/configuration.md} (group {@code Warehouse}, keys {@code retry.*}).
 */
public final class LoadRetryPolicy implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final long DEFAULT_RETRY_DURATION_S = 3600;
    public static final long MAX_RETRY_DURATION_S = 7200;
    public static final long DEFAULT_INITIAL_BACKOFF_MS = 1_000;
    public static final long DEFAULT_MAX_BACKOFF_MS = 60_000;

    private final Duration retryDuration;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    private LoadRetryPolicy(Duration retryDuration, Duration initialBackoff, Duration maxBackoff) {
        this.retryDuration = retryDuration;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    public static LoadRetryPolicy defaults() {
        return builder().build();
    }

    /** No retries: every failure gives up at once. */
    public static LoadRetryPolicy noRetry() {
        return builder().retryDuration(Duration.ZERO).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration retryDuration() {
        return retryDuration;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * The wait before retry number {@code retry} (0 for the first retry), given a random number in
     * {@code [0, 1)}.
     */
    public Duration backoff(int retry, DoubleSupplier random) {
        long ceiling = initialBackoff.toMillis();
        for (int i = 0; i < retry && ceiling < maxBackoff.toMillis(); i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, maxBackoff.toMillis());
        return Duration.ofMillis((long) (random.getAsDouble() * (ceiling + 1)));
    }

    @Override
    public String toString() {
        return "LoadRetryPolicy{retryDuration="
                + retryDuration
                + ", initialBackoff="
                + initialBackoff
                + ", maxBackoff="
                + maxBackoff
                + '}';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadRetryPolicy
                && ((LoadRetryPolicy) o).retryDuration.equals(retryDuration)
                && ((LoadRetryPolicy) o).initialBackoff.equals(initialBackoff)
                && ((LoadRetryPolicy) o).maxBackoff.equals(maxBackoff);
    }

    @Override
    public int hashCode() {
        return Objects.hash(retryDuration, initialBackoff, maxBackoff);
    }

    /** Named defaults; {@link #build()} validates. */
    public static final class Builder {

        private Duration retryDuration = Duration.ofSeconds(DEFAULT_RETRY_DURATION_S);
        private Duration initialBackoff = Duration.ofMillis(DEFAULT_INITIAL_BACKOFF_MS);
        private Duration maxBackoff = Duration.ofMillis(DEFAULT_MAX_BACKOFF_MS);

        private Builder() {}

        /** Firehose's RetryOptions.DurationInSeconds; 0 = no retry. */
        public Builder retryDuration(Duration retryDuration) {
            this.retryDuration = retryDuration;
            return this;
        }

        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
            return this;
        }

        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the setting out of range
         */
        public LoadRetryPolicy build() {
            Objects.requireNonNull(retryDuration, "retryDuration");
            Objects.requireNonNull(initialBackoff, "initialBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            if (retryDuration.isNegative()
                    || retryDuration.compareTo(Duration.ofSeconds(MAX_RETRY_DURATION_S)) > 0) {
                throw new IllegalArgumentException(
                        "The retry duration must be 0–"
                                + MAX_RETRY_DURATION_S
                                + " s (Firehose's RetryOptions.DurationInSeconds), got "
                                + retryDuration.toSeconds()
                                + " s");
            }
            if (initialBackoff.isNegative() || initialBackoff.isZero()) {
                throw new IllegalArgumentException(
                        "The initial retry backoff must be positive, got " + initialBackoff);
            }
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException(
                        "The maximum retry backoff ("
                                + maxBackoff
                                + ") must not be less than the initial one ("
                                + initialBackoff
                                + ")");
            }
            return new LoadRetryPolicy(retryDuration, initialBackoff, maxBackoff);
        }
    }
}
