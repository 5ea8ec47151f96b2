package dev.sluice.job.source;

import dev.sluice.operators.source.position.ResumePositions;
import dev.sluice.operators.source.position.SourcePosition;
import dev.sluice.operators.source.position.SourcePositions;
import dev.sluice.operators.source.position.StreamShard;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where a start without state begins when the ledger knows shards: never after the oldest loaded
 * arrival time minus the margin, and unchanged when the configured position is already earlier.
 */
class LedgerStartPositionTest {

    private static final long OLDEST = Instant.parse("2026-12-01T03:00:00Z").toEpochMilli();
    private static final ResumePositions LEDGER =
            stream ->
                    new SourcePositions(
                            Map.of(
                                    new StreamShard(stream, "shardId-000000000000"),
                                    new SourcePosition("10", 0, OLDEST + 60_000),
                                    new StreamShard(stream, "shardId-000000000001"),
                                    new SourcePosition("20", 0, OLDEST)));

    @Test
    void latestBecomesAtTimestampFiveMinutesBeforeTheOldestLoadedArrival() throws Exception {
        Properties consumer = consumer("LATEST");
        consumer.setProperty("flink.stream.initpos.timestamp.format", "yyyy");

        Properties adjusted = LedgerStartPosition.apply(consumer, "s", LEDGER);

        assertThat(adjusted)
                .containsEntry("flink.stream.initpos", "AT_TIMESTAMP")
                .containsEntry("flink.stream.initpos.timestamp", "2026-12-01T02:55:00.000Z")
                .doesNotContainKey("flink.stream.initpos.timestamp.format");
        assertThat(consumer)
                .as("the input is not changed")
                .containsEntry("flink.stream.initpos", "LATEST");
    }

    @Test
    void noInitialPositionIsLatestAndIsMovedToo() throws Exception {
        assertThat(LedgerStartPosition.apply(new Properties(), "s", LEDGER))
                .containsEntry("flink.stream.initpos", "AT_TIMESTAMP");
    }

    @Test
    void aLaterTimestampMovesBackAndAnEarlierOneStays() throws Exception {
        Properties later = consumer("AT_TIMESTAMP");
        later.setProperty("flink.stream.initpos.timestamp", "2026-12-01T04:00:00.000Z");
        assertThat(LedgerStartPosition.apply(later, "s", LEDGER))
                .containsEntry("flink.stream.initpos.timestamp", "2026-12-01T02:55:00.000Z");

        Properties earlier = consumer("AT_TIMESTAMP");
        earlier.setProperty("flink.stream.initpos.timestamp", "2026-11-30T00:00:00.000Z");
        assertThat(LedgerStartPosition.apply(earlier, "s", LEDGER)).isSameAs(earlier);
    }

    @Test
    void trimHorizonAndAnEmptyLedgerLeaveThePositionAloneWithoutReadingMoreThanNeeded()
            throws Exception {
        Properties trim = consumer("TRIM_HORIZON");
        ResumePositions unreadable =
                stream -> {
                    throw new IllegalStateException("read although TRIM_HORIZON needs nothing");
                };
        assertThat(LedgerStartPosition.apply(trim, "s", unreadable)).isSameAs(trim);

        Properties latest = consumer("LATEST");
        assertThat(LedgerStartPosition.apply(latest, "s", ResumePositions.NONE)).isSameAs(latest);
    }

    @Test
    void aLedgerThatCannotBeReadFailsTheStart() {
        assertThatThrownBy(
                        () ->
                                LedgerStartPosition.apply(
                                        consumer("LATEST"),
                                        "s",
                                        stream -> {
                                            throw new java.sql.SQLException("connection refused");
                                        }))
                .hasMessageContaining("connection refused");
    }

    private static Properties consumer(String initialPosition) {
        Properties consumer = new Properties();
        consumer.setProperty("flink.stream.initpos", initialPosition);
        return consumer;
    }
}
