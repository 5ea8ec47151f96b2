package dev.sluice.sinks.warehouse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The retry loop on a fake clock, against a warehouse that never answers: how long it waits, when
 * it gives up, and what it does with errors that are not the warehouse's.
 */
class RetryingLoaderTest {

    @TempDir Path tempDir;

    private final List<Duration> waits = new ArrayList<>();
    private Instant now = Instant.parse("2026-11-22T06:00:00Z");

    private RetryingLoader loader(Duration window, JdbcConnectionProvider provider) {
        WarehouseLoaderConfig config =
                WarehouseLoaderConfig.builder()
                        .target(
                                CopyTarget.builder()
                                        .dialect(WarehouseDialect.named("postgres"))
                                        .targetTable("s.events")
                                        .columns(List.of("id", "name"))
                                        .build())
                        .ledger(
                                LedgerOptions.builder()
                                        .manifestBasePath(
                                                tempDir.resolve("manifests").toUri().toString())
                                        .failedLoadBasePath(
                                                tempDir.resolve("failed").toUri().toString())
                                        .build())
                        .connectionProvider(provider)
                        .build();
        LoadRetryPolicy policy =
                LoadRetryPolicy.builder()
                        .retryDuration(window)
                        .initialBackoff(Duration.ofSeconds(1))
                        .maxBackoff(Duration.ofSeconds(8))
                        .build();
        Clock clock =
                new Clock() {
                    @Override
                    public ZoneOffset getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        return now;
                    }
                };
        return new RetryingLoader(
                new WarehouseLoader(config),
                policy,
                clock,
                wait -> {
                    waits.add(wait);
                    now = now.plus(wait);
                },
                () -> 0.999_999);
    }

    private static JdbcConnectionProvider refusing(AtomicInteger attempts) {
        return () -> {
            attempts.incrementAndGet();
            throw new SQLException("Connection refused", "08001");
        };
    }

    @Test
    void waitsGrowExponentiallyAndTheLastOneIsCutToEndAtTheWindow() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Path file = Files.writeString(tempDir.resolve("a.json"), "{\"id\":1}\n");
        LoadOutcome outcome =
                loader(Duration.ofSeconds(20), refusing(attempts))
                        .load(9, List.of(new StagedFile(file.toUri().toString(), 9)));

        assertThat(waits)
                .extracting(Duration::toMillis)
                .containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 5_000L);
        assertThat(attempts).hasValue(6);
        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.failure().reason()).isEqualTo(FailedLoad.RETRIES_EXHAUSTED);
        assertThat(outcome.failure().attempts()).isEqualTo(6);
        assertThat(outcome.failure().firstAttemptAt()).isEqualTo("2026-11-22T06:00:00Z");
        assertThat(outcome.failure().failedAt()).isEqualTo("2026-11-22T06:00:20Z");
        assertThat(outcome.failedManifestPath()).contains("/failed/2026/11/22/06/");
        try (Stream<Path> written = Files.walk(tempDir.resolve("failed"))) {
            assertThat(written.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .hasSize(2)
                    .anyMatch(name -> name.endsWith(".manifest"))
                    .anyMatch(name -> name.endsWith(".error.json"));
        }
    }

    @Test
    void aZeroWindowMeansOneAttemptAndNoWait() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Path file = Files.writeString(tempDir.resolve("a.json"), "{\"id\":1}\n");
        LoadOutcome outcome =
                loader(Duration.ZERO, refusing(attempts))
                        .load(1, List.of(new StagedFile(file.toUri().toString(), 9)));
        assertThat(attempts).hasValue(1);
        assertThat(waits).isEmpty();
        assertThat(outcome.failure().attempts()).isEqualTo(1);
    }

    @Test
    void aPasswordThatCannotBeReadIsRetriedLikeAnOutage() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Path file = Files.writeString(tempDir.resolve("a.json"), "{\"id\":1}\n");
        JdbcConnectionProvider provider =
                new DriverManagerConnectionProvider(
                        "jdbc:postgresql://127.0.0.1:1/db",
                        "u",
                        () -> {
                            attempts.incrementAndGet();
                            throw new IllegalStateException("secret store unreachable");
                        });
        LoadOutcome outcome =
                loader(Duration.ofSeconds(3), provider)
                        .load(1, List.of(new StagedFile(file.toUri().toString(), 9)));
        assertThat(attempts.get()).isGreaterThan(1);
        assertThat(outcome.failure().sqlState()).isEqualTo("08001");
        assertThat(outcome.failure().message()).contains("secret store unreachable");
    }

    @Test
    void refusedCredentialsAreNeitherRetriedNorWrittenOffButFailWithTheirCause() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Path file = Files.writeString(tempDir.resolve("a.json"), "{\"id\":1}\n");
        JdbcConnectionProvider wrongPassword =
                () -> {
                    attempts.incrementAndGet();
                    throw new SQLException(
                            "FATAL: password authentication failed for user \"sluice\"", "28P01");
                };
        RetryingLoader loader = loader(Duration.ofSeconds(60), wrongPassword);

        assertThatThrownBy(
                        () -> loader.load(1, List.of(new StagedFile(file.toUri().toString(), 9))))
                .isInstanceOf(PermanentLoadFailureException.class)
                .hasMessageContaining("SQLState 28P01")
                .hasRootCauseMessage("FATAL: password authentication failed for user \"sluice\"");
        assertThat(attempts).hasValue(1);
        assertThat(waits).isEmpty();
        assertThat(Files.exists(tempDir.resolve("failed"))).isFalse();
    }

    @Test
    void programmingErrorsAreNeitherRetriedNorWrittenOff() {
        AtomicInteger attempts = new AtomicInteger();
        RetryingLoader loader = loader(Duration.ofSeconds(60), refusing(attempts));
        assertThatThrownBy(
                        () ->
                                loader.load(
                                        1,
                                        List.of(
                                                new StagedFile("file:///x", 1),
                                                new StagedFile("file:///x", 2))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(waits).isEmpty();
        assertThat(tempDir.resolve("failed")).doesNotExist();
    }
}
