package dev.sluice.job;

import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.SourceOptions;
import dev.sluice.job.config.SourceOptions.SourceType;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.KinesisEmulator;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.localstack.UseKinesisEmulator;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A start without Flink state at {@code flink.stream.initpos=LATEST} while the warehouse is down:
 * the job is submitted all the same, and the ledger's positions are read once the warehouse is
 * back.
 *
 * <p>{@link #aWarehouseOutageAtSubmissionIsRetriedByFlinkAndTheLedgerStillDecidesTheStart}:
 *
 * <ol>
 *   <li>run 1 ({@code TRIM_HORIZON}) loads 1,000 events and is cancelled: the ledger knows both
 *       shards;
 *   <li>1,000 more events are put while no job runs, and PostgreSQL is stopped (clients get
 *       "connection refused");
 *   <li>run 2, {@code LATEST}, no state, is built and submitted: building must not need the
 *       warehouse. Its tasks fail at start on the unreadable ledger and Flink restarts them
 *       (fixed-delay) — the job fails over, it does not fail;
 *   <li>PostgreSQL comes back: run 2 must load exactly the 1,000 events put while no job ran, which
 *       {@code LATEST} alone would have skipped, and drop the 1,000 run 1 loaded.
 * </ol>
 *
 * <p>For the legacy consumer (the ledger read in each subtask's {@code run()}) and the FLIP-27
 * source (read in its enumerator on the JobManager). On kinesis-local with the legacy SDK speaking
 * CBOR: with CBOR off its {@code AT_TIMESTAMP} start sends milliseconds where JSON means seconds
 * (see {@code KinesisSourcesITCase}).
 */
@UseKinesisEmulator(KinesisEmulator.Kind.KINESIS_LOCAL)
class LedgerOutageAtStartITCase extends LocalStackTestBase {

    private static final String SDK_V1_DISABLE_CBOR =
            "org.apache.flink.kinesis.shaded.com.amazonaws.sdk.disableCbor";

    private static final int SHARDS = 2;
    private static final int BATCH = 1_000;
    private static final long CHECKPOINT_INTERVAL_MS = 1_000L;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static final String BUCKET = "sluice-ledger-outage";

    private SourceType type;
    private String stream;
    private String schema;
    private String table;

    @BeforeAll
    static void sdkV1SpeaksCbor() {
        System.clearProperty(SDK_V1_DISABLE_CBOR);
        S3.createBucket(BUCKET);
    }

    @AfterAll
    static void sdkV1WithoutCborAgainForKinesalite() {
        System.setProperty(SDK_V1_DISABLE_CBOR, "true");
    }

    @ParameterizedTest
    @EnumSource(
            value = SourceType.class,
            names = {"POLLING", "FLIP27"})
    void aWarehouseOutageAtSubmissionIsRetriedByFlinkAndTheLedgerStillDecidesTheStart(
            SourceType type, @InjectMiniCluster MiniCluster cluster) throws Exception {
        this.type = type;
        String name = type.name().toLowerCase(Locale.ROOT);
        stream = "ledger-outage-" + name;
        schema = "ledger_outage_" + name;
        table = schema + ".user_events";
        POSTGRES.execute("CREATE schema " + schema);
        POSTGRES.execute(DemoEvents.createTableSql(table));
        KINESIS.streams().createStream(stream, SHARDS);
        DemoEvents events = new DemoEvents(2 * BATCH, 29L);
        List<String> produced = new ArrayList<>(put(events));

        JobClient run1 = submit("TRIM_HORIZON", "ledger outage run 1 " + name);
        JobClients.await("run 1 loads " + BATCH, run1, TIMEOUT, () -> rows() >= BATCH);
        run1.cancel().get(60, TimeUnit.SECONDS);
        assertThat(
                        POSTGRES.queryLong(
                                "SELECT count(*) FROM " + schema + ".sluice_ledger_positions"))
                .isEqualTo(SHARDS);
        produced.addAll(put(events));

        JobClient run2;
        POSTGRES.server().stop();
        try {
            run2 = submit("LATEST", "ledger outage run 2 " + name);
            awaitFailover(cluster, run2);
        } finally {
            POSTGRES.server().restart();
        }
        JobClients.await(
                "run 2 loads the events put while no job ran",
                run2,
                TIMEOUT,
                () -> rows() >= 2 * BATCH && recordsAlreadyLoaded(run2) >= BATCH);
        Thread.sleep(3 * CHECKPOINT_INTERVAL_MS);
        run2.cancel().get(60, TimeUnit.SECONDS);

        assertThat(rows()).isEqualTo(2 * BATCH);
        assertThat(POSTGRES.querySet("SELECT event_id FROM " + table))
                .isEqualTo(Set.copyOf(produced));
        assertThat(recordsAlreadyLoaded(run2))
                .as("run 1's events, read again and dropped")
                .isEqualTo(BATCH);
    }

    /** Submits a job without state; building it must not touch the warehouse. */
    private JobClient submit(String initialPosition, String name) throws Exception {
        Map<String, Properties> groups =
                demoJobConfig(stream, BUCKET, "data/", schema, CHECKPOINT_INTERVAL_MS);
        groups.get(SourceOptions.GROUP).setProperty("flink.stream.initpos", initialPosition);
        readWith(groups, type, stream);
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1_000);
        restarts.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(restarts);
        env.setParallelism(SLOTS);
        SluicePipeline.build(env, SluiceConfig.from(groups));
        return env.executeAsync(name);
    }

    /**
     * Waits until run 2 has failed over on the unreachable warehouse at least once, still running.
     */
    private static void awaitFailover(MiniCluster cluster, JobClient job) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            ErrorInfo failure =
                    cluster.getExecutionGraph(job.getJobID())
                            .get(30, TimeUnit.SECONDS)
                            .getFailureInfo();
            if (failure != null) {
                assertThat(failure.getExceptionAsString())
                        .as("the failover's cause")
                        .contains(
                                "Connection to 127.0.0.1:" + POSTGRES.server().port() + " refused");
                break;
            }
            assertThat(System.nanoTime()).as("a failover within " + TIMEOUT).isLessThan(deadline);
            Thread.sleep(100);
        }
        Thread.sleep(2_000); // A few more restarts against the stopped warehouse.
        assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS))
                .isIn(JobStatus.RUNNING, JobStatus.RESTARTING, JobStatus.CREATED);
    }

    private long rows() throws Exception {
        return POSTGRES.queryLong("SELECT count(*) FROM " + table);
    }

    private List<String> put(DemoEvents events) throws Exception {
        List<ProducerRecord> batch = new ArrayList<>(BATCH);
        List<String> ids = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            DemoEvents.Event e = events.next();
            batch.add(new ProducerRecord(e.partitionKey(), e.json()));
            ids.add(e.eventId());
        }
        assertThat(KINESIS.streams().producer().putAll(stream, batch)).isEqualTo(BATCH);
        return ids;
    }
}
