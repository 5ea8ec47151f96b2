package dev.sluice.job;

import dev.sluice.job.KinesisSourcesITCase.Run;
import dev.sluice.job.config.SourceOptions;
import dev.sluice.job.config.SourceOptions.SourceType;
import dev.sluice.localstack.KinesisEmulator;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.localstack.UseKinesisEmulator;
import dev.sluice.operators.source.position.SourcePositionFilter;

import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resharding while the job runs: {@code UpdateShardCount} 4 → 8 → 4 on kinesis-local (which serves
 * UpdateShardCount; kinesalite does not) while a producer thread keeps putting events, for the
 * {@code POLLING} and {@code EFO} source types ({@code FLIP27} on connector 4.3.0 cannot pass it:
 * see the test method).
 *
 * <p>Passes when
 *
 * <ul>
 *   <li>every produced event is one row (none lost, none twice) and its shard and sequence number
 *       are the emulator's: the 4 parents, the 8 children of the split and the 4 children of the
 *       merge were all read, parents to their end;
 *   <li>the ledger holds one position per shard id that has records (16 shards: closed parents keep
 *       their own position, children get theirs), each the highest sequence number of that shard;
 *   <li>a second job started without Flink state from {@code TRIM_HORIZON} re-reads all 16 shards
 *       and drops every record as already loaded ({@value
 *       SourcePositionFilter#RECORDS_ALREADY_LOADED} equals the event count) and adds no row.
 * </ul>
 *
 * <p>Order per partition key across a parent and its children is not asserted: none of the 4.3.0
 * sources reads a parent to its end before its children (see docs/sources.md, "Resharding").
 */
@UseKinesisEmulator(KinesisEmulator.Kind.KINESIS_LOCAL)
class ReshardingITCase extends LocalStackTestBase {

    private static final int SHARDS = 4;
    private static final int SCALED_SHARDS = 8;
    private static final int EVENTS = 1_500;
    private static final int BATCH = 50;
    private static final long BATCH_PAUSE_MS = 200;
    private static final long CHECKPOINT_INTERVAL_MS = 1_000L;
    private static final long TIMEOUT_SECONDS = 120;

    /** The bucket {@link Run} stages to. */
    @BeforeAll
    static void createBucket() {
        S3.createBucket(KinesisSourcesITCase.BUCKET);
    }

    /**
     * POLLING and EFO only: the FLIP-27 reader of connector 4.3.0 fails its task whenever a closed
     * shard's last batch has records, and in a clean CI run the restored task met the same batch
     * again until the job's 20 restart attempts were spent and the job FAILED (docs/sources.md,
     * Resharding). That is the connector's defect, not a case this test can pass.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = SourceType.class,
            names = {"POLLING", "EFO"})
    void reshardingFourToEightToFourLosesAndDuplicatesNothing(SourceType type) throws Exception {
        Run run = new Run("reshard_" + type, type, SHARDS);
        run.groups
                .get(SourceOptions.GROUP)
                .setProperty("flink.shard.discovery.intervalmillis", "1000");
        List<ProducerRecord> events = run.demoEvents(EVENTS);
        run.put(events.subList(0, BATCH * 2));
        AtomicInteger produced = new AtomicInteger(BATCH * 2);
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Thread producer =
                new Thread(
                        () -> {
                            try {
                                for (int from = BATCH * 2; from < EVENTS; from += BATCH) {
                                    run.put(events.subList(from, Math.min(from + BATCH, EVENTS)));
                                    produced.set(Math.min(from + BATCH, EVENTS));
                                    Thread.sleep(BATCH_PAUSE_MS);
                                }
                            } catch (Throwable t) {
                                producerFailure.set(t);
                            }
                        },
                        "reshard-producer");

        run.runJob(
                job -> {
                    run.awaitRows(job, 1);
                    producer.start();
                    awaitProduced(produced::get, EVENTS / 3);
                    updateShardCount(run.stream, SCALED_SHARDS);
                    awaitProduced(produced::get, 2 * EVENTS / 3);
                    updateShardCount(run.stream, SHARDS);
                    producer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                    assertThat(producerFailure.get()).as("producer").isNull();
                    run.awaitRows(job, EVENTS);
                });

        assertThat(KINESIS.streams().shardIds(run.stream))
                .as("4 parents, 8 children of the split, 4 of the merge")
                .hasSize(SHARDS + SCALED_SHARDS + SHARDS);
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + run.table)).isEqualTo(EVENTS);
        assertThat(POSTGRES.querySet("SELECT event_id FROM " + run.table))
                .isEqualTo(run.producedIds);
        run.assertMetadataMatchesTheStream();
        Map<String, String> highest = highestSequenceNumberPerShard(run.stream);
        assertThat(highest)
                .as("records were put before, between and after the reshards")
                .hasSizeGreaterThan(SHARDS + SCALED_SHARDS);
        assertThat(ledgerPositions(run)).isEqualTo(highest);

        // A start without Flink state reads closed parents and children again from TRIM_HORIZON.
        JobClient second = run.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (alreadyLoaded(second) < EVENTS && System.nanoTime() < deadline) {
                assertThat(
                                second.getJobStatus()
                                        .get(10, TimeUnit.SECONDS)
                                        .isGloballyTerminalState())
                        .isFalse();
                Thread.sleep(200);
            }
            Thread.sleep(3 * CHECKPOINT_INTERVAL_MS);
        } finally {
            second.cancel().get(60, TimeUnit.SECONDS);
        }
        assertThat(alreadyLoaded(second))
                .as("every record of every shard dropped as loaded, once")
                .isEqualTo(EVENTS);
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + run.table)).isEqualTo(EVENTS);
        assertThat(ledgerPositions(run)).isEqualTo(highest);
    }

    private static void awaitProduced(IntSupplier produced, int atLeast)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (produced.getAsInt() < atLeast) {
            assertThat(System.nanoTime()).as("%d events produced", atLeast).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** UpdateShardCount with uniform scaling, then waits until the stream is ACTIVE again. */
    private static void updateShardCount(String stream, int shards) throws InterruptedException {
        KINESIS.streams()
                .client()
                .updateShardCount(
                        r ->
                                r.streamName(stream)
                                        .targetShardCount(shards)
                                        .scalingType(ScalingType.UNIFORM_SCALING));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (KINESIS.streams()
                        .client()
                        .describeStreamSummary(r -> r.streamName(stream))
                        .streamDescriptionSummary()
                        .streamStatus()
                != StreamStatus.ACTIVE) {
            assertThat(System.nanoTime()).as("stream ACTIVE again").isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(
                        KINESIS.streams()
                                .client()
                                .describeStreamSummary(r -> r.streamName(stream))
                                .streamDescriptionSummary()
                                .openShardCount())
                .isEqualTo(shards);
    }

    private static Map<String, String> highestSequenceNumberPerShard(String stream) {
        Map<String, String> highest = new HashMap<>();
        for (String shardId : KINESIS.streams().shardIds(stream)) {
            for (Record r : KINESIS.streams().readShard(stream, shardId)) {
                highest.merge(
                        shardId,
                        r.sequenceNumber(),
                        (a, b) -> new BigInteger(a).compareTo(new BigInteger(b)) >= 0 ? a : b);
            }
        }
        return highest;
    }

    private static Map<String, String> ledgerPositions(Run run) throws Exception {
        Map<String, String> positions = new HashMap<>();
        for (List<String> row :
                POSTGRES.query(
                        "SELECT shard_id, sequence_number FROM "
                                + run.schema
                                + ".sluice_source_positions WHERE stream_name = '"
                                + run.stream
                                + "'")) {
            assertThat(positions.put(row.get(0), row.get(1))).as("one row per shard").isNull();
        }
        return positions;
    }

    private static long alreadyLoaded(JobClient job) {
        return RetainedCounters.sum(
                SourcePositionFilter.RECORDS_ALREADY_LOADED, Set.of(job.getJobID().toHexString()));
    }
}
