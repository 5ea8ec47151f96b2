package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadRetryPolicyTest {

    @Test
    void defaultsAreFirehosesHourWithOneToSixtySecondBackoff() {
        LoadRetryPolicy policy = LoadRetryPolicy.defaults();
        assertThat(policy.retryDuration()).isEqualTo(Duration.ofHours(1));
        assertThat(policy.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theBackoffCeilingDoublesPerRetryUpToTheMaximum() {
        LoadRetryPolicy policy = LoadRetryPolicy.defaults();
        double almostOne = 0.999_999;
        assertThat(policy.backoff(0, () -> almostOne).toMillis()).isEqualTo(1_000);
        assertThat(policy.backoff(1, () -> almostOne).toMillis()).isEqualTo(2_000);
        assertThat(policy.backoff(5, () -> almostOne).toMillis()).isEqualTo(32_000);
        assertThat(policy.backoff(6, () -> almostOne).toMillis()).isEqualTo(60_000);
        assertThat(policy.backoff(1_000, () -> almostOne).toMillis()).isEqualTo(60_000);
    }

    @Test
    void theJitterSpreadsWaitsFromZeroToTheCeiling() {
        LoadRetryPolicy policy = LoadRetryPolicy.defaults();
        assertThat(policy.backoff(3, () -> 0.0)).isEqualTo(Duration.ZERO);
        assertThat(policy.backoff(3, () -> 0.5).toMillis()).isEqualTo(4_000);
    }

    @Test
    void theRetryWindowIsZeroToTwoHours() {
        assertThat(LoadRetryPolicy.noRetry().retryDuration()).isZero();
        assertThat(
                        LoadRetryPolicy.builder()
                                .retryDuration(Duration.ofSeconds(7200))
                                .build()
                                .retryDuration())
                .isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(
                        () ->
                                LoadRetryPolicy.builder()
                                        .retryDuration(Duration.ofSeconds(7201))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0–7200 s");
        assertThatThrownBy(
                        () ->
                                LoadRetryPolicy.builder()
                                        .initialBackoff(Duration.ofSeconds(2))
                                        .maxBackoff(Duration.ofSeconds(1))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
