package dev.sluice.localstack;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pacing on a fake clock: the sleeps are exactly what the rate demands. */
class RateLimiterTest {

    private long now = 1_000_000L;
    private final List<Long> sleeps = new ArrayList<>();

    private RateLimiter limiter(double perSecond) {
        return new RateLimiter(
                perSecond,
                () -> now,
                nanos -> {
                    sleeps.add(nanos);
                    now += nanos;
                });
    }

    @Test
    void batchesWaitForTheirShareOfTimeAtTheRate() {
        RateLimiter limiter = limiter(1_000);

        limiter.acquire(500); // the first batch goes at once
        limiter.acquire(500); // due 0.5 s after the start
        limiter.acquire(500); // due 1 s after the start

        assertThat(sleeps).containsExactly(500_000_000L, 500_000_000L);
    }

    @Test
    void timeSpentSendingCountsTowardsTheRate() {
        RateLimiter limiter = limiter(1_000);

        limiter.acquire(500);
        now += 800_000_000L; // the request took 0.8 s
        limiter.acquire(500);

        assertThat(sleeps).isEmpty();
    }

    @Test
    void zeroMeansNoLimitAndANegativeRateIsRejected() {
        RateLimiter limiter = limiter(0);
        for (int i = 0; i < 100; i++) {
            limiter.acquire(500);
        }
        assertThat(sleeps).isEmpty();
        assertThatThrownBy(() -> limiter(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
