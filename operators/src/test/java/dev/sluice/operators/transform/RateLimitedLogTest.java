package dev.sluice.operators.transform;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedLogTest {

    @Test
    void aBurstOfFailuresLogsOneLinePerInterval() {
        AtomicLong clock = new AtomicLong(0);
        RateLimitedLog log = new RateLimitedLog(10_000, clock::get);
        var logger = LoggerFactory.getLogger(RateLimitedLogTest.class);

        assertThat(log.warn(logger, "first {}", 1)).isTrue();
        assertThat(log.warn(logger, "held back {}", 2)).isFalse();
        clock.set(9_999);
        assertThat(log.warn(logger, "held back {}", 3)).isFalse();
        clock.set(10_000);
        assertThat(log.warn(logger, "next, with the count of held-back lines {}", 4)).isTrue();
    }
}
