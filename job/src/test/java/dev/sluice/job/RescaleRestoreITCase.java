package dev.sluice.job;

import dev.sluice.job.config.OutputOptions;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.SourceOptions.SourceType;
import dev.sluice.job.config.StagingOptions;
import dev.sluice.job.local.LocalConfig;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.sinks.s3.format.OutputFormat;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restores at another parallelism, as MSF's autoscaling and the Kubernetes operator's rescaling do,
 * while events keep arriving: the job runs at parallelism 2, then 4, then 1, then 3, each run
 * restored from what the one before left.
 *
 * <ul>
 *   <li>{@link #restoresTheLatestRetainedCheckpointAfterEachKillAtParallelism2Then4Then1Then3}:
 *       each run is {@code SluiceJob --config} in a JVM of its own, on a local MiniCluster with
 *       checkpoints retained on the local file system, ended with SIGKILL mid-stream; the next run
 *       starts from the latest retained checkpoint ({@code execution.savepoint.path} in the
 *       configuration file's {@code Flink} group); with JSON and with CSV staging.
 *   <li>{@link #restoresEachSavepointOfAStopAtParallelism2Then4Then1Then3}: the same chain on the
 *       test's MiniCluster, each run stopped with a savepoint: JSON staging with the legacy {@code
 *       POLLING} consumer and with the FLIP-27 source, and CSV staging with {@code POLLING}.
 * </ul>
 *
 * <p>Each run must load more rows than the one before left (delivery goes on after every restore),
 * and at the end every produced event is in the table exactly once, every committed data file is in
 * the ledger once, and the ledger counts every row once.
 */
class RescaleRestoreITCase extends LocalStackTestBase {

    private static final int SHARDS = 4;
    private static final long CHECKPOINT_INTERVAL_MS = 1_000L;
    private static final int[] PARALLELISMS = {2, 4, 1, 3};
    private static final String BUCKET = "sluice-rescale";

    /** Rows a run must load beyond what the run before left, before it is ended. */
    private static final int ROWS_PER_RUN = 1_500;

    private static final long TIMEOUT_SECONDS = 180;

    @BeforeAll
    static void createBucket() {
        S3.createBucket(BUCKET);
    }

    @ParameterizedTest(name = "POLLING, {0} staging")
    @EnumSource(
            value = OutputFormat.class,
            names = {"JSON", "CSV"})
    void restoresTheLatestRetainedCheckpointAfterEachKillAtParallelism2Then4Then1Then3(
            OutputFormat format, @TempDir Path dir) throws Exception {
        Scenario scenario =
                new Scenario(
                        "killed" + (format == OutputFormat.JSON ? "" : "_" + format.extension()),
                        SourceType.POLLING,
                        format);
        Path checkpoints = dir.resolve("checkpoints");
        try (Producer producer = scenario.startProducing()) {
            String restoreFrom = null;
            for (int run = 0; run < PARALLELISMS.length; run++) {
                int parallelism = PARALLELISMS[run];
                Map<String, Properties> groups = scenario.groups();
                Properties flink = new Properties();
                flink.setProperty("parallelism.default", Integer.toString(parallelism));
                flink.setProperty("state.checkpoints.dir", checkpoints.toUri().toString());
                flink.setProperty(
                        "execution.checkpointing.externalized-checkpoint-retention",
                        "RETAIN_ON_CANCELLATION");
                if (restoreFrom != null) {
                    flink.setProperty("execution.savepoint.path", restoreFrom);
                }
                groups.put(JobEnvironment.FLINK_GROUP, flink);
                Path config = dir.resolve("run-" + run + ".json");
                LocalConfig.write(groups, config);
                Set<Path> earlierJobs = jobDirectories(checkpoints);

                String name = "run-" + run + "-p" + parallelism;
                try (SluiceJobProcess job = SluiceJobProcess.start(config, dir, name)) {
                    long before = scenario.rows();
                    await(
                            name + " loads " + ROWS_PER_RUN + " rows beyond " + before,
                            job,
                            () -> scenario.rows() >= before + ROWS_PER_RUN);
                    if (restoreFrom != null) {
                        assertThat(job.logText())
                                .as("%s restored %s", name, restoreFrom)
                                .contains("Restoring job")
                                .contains(Path.of(restoreFrom).getFileName().toString());
                    }
                    if (run == PARALLELISMS.length - 1) {
                        producer.stop();
                        await(
                                name + " loads all " + producer.produced() + " events",
                                job,
                                () -> scenario.rows() >= producer.produced());
                        // A duplicate load, had there been one, would show within 2 checkpoints.
                        Thread.sleep(3 * CHECKPOINT_INTERVAL_MS);
                        job.kill();
                        break;
                    }
                    String checkpointBefore = restoreFrom;
                    await(
                            name + " retains a checkpoint of its own",
                            job,
                            () ->
                                    latestCheckpoint(checkpoints, earlierJobs)
                                            .filter(c -> !c.equals(checkpointBefore))
                                            .isPresent());
                    job.kill();
                }
                restoreFrom = latestCheckpoint(checkpoints, earlierJobs).orElseThrow();
            }
            scenario.assertExactlyOnce(producer.ids());
        }
    }

    /**
     * Run for both kinds of source state: the legacy consumer's union list of shard positions, and
     * the FLIP-27 source's splits, which its enumerator hands out again at the new parallelism; and
     * for both text staging formats, whose rows reach the files through different encoders.
     */
    static Stream<Arguments> sourcesAndFormats() {
        return Stream.of(
                Arguments.of(SourceType.POLLING, OutputFormat.JSON),
                Arguments.of(SourceType.FLIP27, OutputFormat.JSON),
                Arguments.of(SourceType.POLLING, OutputFormat.CSV));
    }

    @ParameterizedTest(name = "{0}, {1} staging")
    @MethodSource("sourcesAndFormats")
    void restoresEachSavepointOfAStopAtParallelism2Then4Then1Then3(
            SourceType source, OutputFormat format, @TempDir Path dir) throws Exception {
        String scenarioName =
                "savepoints_"
                        + source.name().toLowerCase(Locale.ROOT)
                        + (format == OutputFormat.JSON ? "" : "_" + format.extension());
        Scenario scenario = new Scenario(scenarioName, source, format);
        try (Producer producer = scenario.startProducing()) {
            String savepoint = null;
            for (int run = 0; run < PARALLELISMS.length; run++) {
                StreamExecutionEnvironment env =
                        StreamExecutionEnvironment.getExecutionEnvironment();
                env.setParallelism(PARALLELISMS[run]);
                SluicePipeline.build(env, SluiceConfig.from(scenario.groups()));
                StreamGraph graph = env.getStreamGraph();
                graph.setJobName("savepoint run " + run);
                if (savepoint != null) {
                    graph.setSavepointRestoreSettings(
                            SavepointRestoreSettings.forPath(savepoint, false));
                }
                JobClient job = env.executeAsync(graph);
                long before = scenario.rows();
                String name = "savepoint run " + run + " at parallelism " + PARALLELISMS[run];
                await(
                        name + " loads " + ROWS_PER_RUN + " rows beyond " + before,
                        job,
                        () -> scenario.rows() >= before + ROWS_PER_RUN);
                if (run == PARALLELISMS.length - 1) {
                    producer.stop();
                    await(
                            name + " loads all " + producer.produced() + " events",
                            job,
                            () -> scenario.rows() >= producer.produced());
                    Thread.sleep(3 * CHECKPOINT_INTERVAL_MS);
                    job.cancel().get(60, TimeUnit.SECONDS);
                    break;
                }
                savepoint =
                        JobClients.stopWithSavepoint(
                                        job, dir.resolve("savepoints"), Duration.ofSeconds(120))
                                .savepoint();
            }
            scenario.assertExactlyOnce(producer.ids());
        }
    }

    /** The job directories under the checkpoint directory (one per run). */
    private static Set<Path> jobDirectories(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return Set.of();
        }
        try (Stream<Path> jobs = Files.list(checkpoints)) {
            return jobs.collect(Collectors.toSet());
        }
    }

    /** The newest {@code chk-N} with metadata of the run not in {@code earlierJobs}, as a URI. */
    private static Optional<String> latestCheckpoint(Path checkpoints, Set<Path> earlierJobs)
            throws IOException {
        List<Path> completed = new ArrayList<>();
        for (Path job : jobDirectories(checkpoints)) {
            if (earlierJobs.contains(job)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(job)) {
                entries.filter(p -> p.getFileName().toString().startsWith("chk-"))
                        .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                        .forEach(completed::add);
            }
        }
        return completed.stream()
                .max(
                        Comparator.comparingLong(
                                p -> Long.parseLong(p.getFileName().toString().substring(4))))
                .map(p -> p.toUri().toString());
    }

    private static void await(String what, SluiceJobProcess job, Check condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.holds()) {
            if (!job.isAlive()) {
                throw new AssertionError(what + ": the job's JVM died\n" + job.logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        what + ": not within " + TIMEOUT_SECONDS + " s\n" + job.logTail());
            }
            Thread.sleep(200);
        }
    }

    private static void await(String what, JobClient job, Check condition) throws Exception {
        JobClients.await(what, job, Duration.ofSeconds(TIMEOUT_SECONDS), condition::holds);
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    /** One stream, S3 prefix and schema per scenario. */
    private static final class Scenario {
        final String stream;
        final String prefix;
        final String schema;
        final String table;
        final SourceType source;
        final OutputFormat format;

        Scenario(String name, SourceType source, OutputFormat format) throws Exception {
            this.source = source;
            this.format = format;
            this.stream = "rescale-" + name;
            this.prefix = name + "/";
            this.schema = "rescale_" + name;
            this.table = schema + ".user_events";
            POSTGRES.execute("CREATE SCHEMA " + schema);
            POSTGRES.execute(DemoEvents.createTableSql(table));
            KINESIS.streams().createStream(stream, SHARDS);
        }

        Map<String, Properties> groups() {
            Map<String, Properties> groups =
                    demoJobConfig(stream, BUCKET, prefix, schema, CHECKPOINT_INTERVAL_MS);
            readWith(groups, source, stream);
            groups.get(StagingOptions.GROUP).setProperty(OutputOptions.FORMAT.key(), format.name());
            return groups;
        }

        Producer startProducing() {
            return new Producer(stream, stream.hashCode());
        }

        long rows() throws Exception {
            return POSTGRES.queryLong("SELECT count(*) FROM " + table);
        }

        void assertExactlyOnce(Set<String> produced) throws Exception {
            assertThat(rows()).isEqualTo(produced.size());
            assertThat(POSTGRES.querySet("SELECT event_id FROM " + table)).isEqualTo(produced);
            String ledger = schema + ".sluice_load_ledger";
            assertThat(POSTGRES.queryLong("SELECT sum(row_count) FROM " + ledger))
                    .as("the ledger counts every row once")
                    .isEqualTo(produced.size());
            Set<String> dataFiles =
                    S3.listKeys(BUCKET, prefix).stream()
                            .filter(k -> k.endsWith("." + format.extension() + ".gz"))
                            .map(k -> "s3://" + BUCKET + "/" + k)
                            .collect(Collectors.toSet());
            assertThat(POSTGRES.querySet("SELECT file_url FROM " + schema + ".sluice_loaded_files"))
                    .as("every committed data file was loaded, and only those")
                    .isEqualTo(dataFiles);
        }
    }

    /** Puts demo events into the stream, 200 every 200 ms, until stopped. */
    private static final class Producer implements AutoCloseable {
        private static final int BATCH = 200;
        private final Set<String> ids = ConcurrentHashMap.newKeySet();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile Throwable failure;

        Producer(String stream, long seed) {
            DemoEvents events = new DemoEvents(Integer.MAX_VALUE, seed);
            thread =
                    new Thread(
                            () -> {
                                try {
                                    while (running) {
                                        List<ProducerRecord> batch = new ArrayList<>(BATCH);
                                        List<String> batchIds = new ArrayList<>(BATCH);
                                        for (int i = 0; i < BATCH; i++) {
                                            DemoEvents.Event e = events.next();
                                            batch.add(
                                                    new ProducerRecord(e.partitionKey(), e.json()));
                                            batchIds.add(e.eventId());
                                        }
                                        int put =
                                                KINESIS.streams().producer().putAll(stream, batch);
                                        if (put != batch.size()) {
                                            throw new IllegalStateException(
                                                    put + " of " + batch.size() + " events put");
                                        }
                                        ids.addAll(batchIds);
                                        Thread.sleep(200);
                                    }
                                } catch (Throwable t) {
                                    failure = t;
                                }
                            },
                            "producer-" + stream);
            thread.setDaemon(true);
            thread.start();
        }

        /** Stops producing; what was produced stays produced. */
        void stop() throws InterruptedException {
            running = false;
            thread.join(60_000);
            if (failure != null) {
                throw new AssertionError("producing failed", failure);
            }
        }

        int produced() {
            return ids.size();
        }

        Set<String> ids() throws InterruptedException {
            stop();
            return Set.copyOf(ids);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(60_000);
        }
    }
}
