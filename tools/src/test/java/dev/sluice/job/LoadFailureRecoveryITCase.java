package dev.sluice.job;

import dev.sluice.job.cli.ReplayCommandAccess;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.WarehouseOptions;
import dev.sluice.job.local.LocalConfig;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.sinks.s3.errors.ErrorFiles;
import dev.sluice.sinks.warehouse.FailedLoad;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loader's failure handling in the whole job, on the real local stack (kinesalite, S3Proxy,
 * PostgreSQL, a MiniCluster): PostgreSQL stopped for less than the retry window, stopped for
 * longer, and a row the table cannot take. Each scenario uses a few thousand records, a retry
 * window of seconds and its own stream, prefix and schema.
 */
class LoadFailureRecoveryITCase extends LocalStackTestBase {

    private static final int BATCH = 1_000;
    private static final int SHARDS = 2;
    private static final int PARALLELISM = 2;
    private static final long CHECKPOINT_INTERVAL_MS = 1_000L;
    private static final String BUCKET = "sluice-failures-it";
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir Path tempDir;

    @BeforeAll
    static void createBucket() {
        S3.createBucket(BUCKET);
    }

    @Test
    void postgresDownForLessThanTheRetryWindowDeliversEveryRowOnce() throws Exception {
        Scenario scenario = new Scenario("short_outage", 60);
        JobClient job = scenario.start();
        try {
            scenario.put(0);
            scenario.awaitRows(job, BATCH);

            POSTGRES.stop();
            try {
                // In parts, a checkpoint or two apart: while the first part's load retries, the
                // files of the later checkpoints pile up and must go in one merged load.
                for (int part = 0; part < 4; part++) {
                    scenario.put(1, part, 4);
                    Thread.sleep(1_500);
                }
            } finally {
                POSTGRES.restart();
            }
            scenario.awaitRows(job, 2L * BATCH);
            Thread.sleep(2 * CHECKPOINT_INTERVAL_MS + 1_000);
            assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        scenario.assertEveryRowOnce(2);
        assertThat(scenario.failedManifests()).isEmpty();
        assertThat(
                        scenario.queryLong(
                                "SELECT max(file_count) FROM "
                                        + scenario.schema
                                        + ".sluice_load_ledger"))
                .as(
                        "a load after the outage merged the files of several checkpoints (one"
                                + " checkpoint has at most one file per writer subtask)")
                .isGreaterThan(PARALLELISM);
        assertThat(
                        scenario.queryLong(
                                "SELECT count(*) FROM "
                                        + scenario.schema
                                        + ".sluice_completeness WHERE complete_through IS NOT NULL"))
                .as("the writers' watermarks reached the ledger")
                .isEqualTo(1);
        assertThat(
                        scenario.queryLong(
                                "SELECT count(DISTINCT job_id) FROM "
                                        + scenario.schema
                                        + ".sluice_load_ledger WHERE job_id IS NOT NULL"))
                .isEqualTo(1);
    }

    @Test
    void postgresDownForLongerThanTheRetryWindowLeavesALoadFailedManifestThatReplayLoadsOnce()
            throws Exception {
        Scenario scenario = new Scenario("long_outage", 2);
        JobClient job = scenario.start();
        try {
            scenario.put(0);
            scenario.awaitRows(job, BATCH);

            POSTGRES.stop();
            try {
                scenario.put(1);
                await(job, () -> !scenario.failedManifests().isEmpty(), "a load-failed manifest");
                // A few more checkpoints, so every file of the batch is staged and has given up.
                Thread.sleep(5_000);
            } finally {
                POSTGRES.restart();
            }
            // The job kept running and goes on loading what arrives after the outage.
            scenario.put(2);
            await(
                    job,
                    () -> scenario.loadedIds().containsAll(scenario.batchIds(2)),
                    "the batch after the outage");
            assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
            assertThat(scenario.rows()).isLessThan(3L * BATCH);

            FailedLoad failure = scenario.failure(scenario.failedManifests().get(0));
            assertThat(failure.reason()).isEqualTo(FailedLoad.RETRIES_EXHAUSTED);
            assertThat(failure.sqlState()).startsWith("08");

            String report = scenario.replay("--all");
            assertThat(report).contains("replayed", "loaded");
            scenario.assertEveryRowOnce(3);

            String again = scenario.replay("--all");
            assertThat(again).contains("0 loaded, 0 rows");
            scenario.assertEveryRowOnce(3);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aColumnTypeMismatchIsRejectedAloneNamingTheColumnAndTheRestOfTheStreamLoads()
            throws Exception {
        // Type-aware staging would turn the epoch millis into a timestamp before any load sees
        // it: switched off here, this is the load-time isolation's test.
        Scenario scenario = new Scenario("type_mismatch", 30, false);
        JobClient job = scenario.start();
        try {
            scenario.put(0);
            scenario.awaitRows(job, BATCH);

            scenario.putRaw(
                    "{\"event_id\":\"poison-1\",\"user_id\":\"u\",\"event_type\":\"click\","
                            + "\"page_url\":\"/\",\"event_timestamp\":1763719800000,"
                            + "\"user_agent\":\"x\"}");
            await(job, () -> !scenario.rejectedRows().isEmpty(), "a rejected row");

            scenario.put(1);
            await(
                    job,
                    () -> scenario.loadedIds().containsAll(scenario.batchIds(1)),
                    "the batch after the bad row");
            assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        assertThat(scenario.failedManifests()).isEmpty();
        List<JsonNode> rejected = scenario.rejectedRows();
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).path("column").asText()).isEqualTo("event_timestamp");
        assertThat(rejected.get(0).path("line").asLong()).isPositive();
        assertThat(
                        new String(
                                Base64.getDecoder()
                                        .decode(rejected.get(0).path("rawData").asText()),
                                StandardCharsets.UTF_8))
                .contains("poison-1");
        assertThat(scenario.loadedIds()).doesNotContain("poison-1");
        scenario.assertEveryRowOnce(2);
    }

    /** Waits for a condition while checking the job has not died. */
    private static void await(JobClient job, BooleanSupplier condition, String what)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
            assertThat(status.isGloballyTerminalState()).as("job status: %s", status).isFalse();
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + what + " after " + TIMEOUT_SECONDS + " s");
    }

    private final class Scenario {

        final String name;
        final String stream;
        final String prefix;
        final String schema;
        final String table;
        final long retrySeconds;
        final boolean columnTypesCheck;
        final List<List<DemoEvents.Event>> batches = new ArrayList<>();
        Map<String, Properties> groups;

        Scenario(String name, long retrySeconds) {
            this(name, retrySeconds, true);
        }

        Scenario(String name, long retrySeconds, boolean columnTypesCheck) {
            this.columnTypesCheck = columnTypesCheck;
            this.name = name;
            this.stream = "failures-" + name.replace('_', '-');
            this.prefix = name + "/";
            this.schema = name;
            this.table = name + ".user_events";
            this.retrySeconds = retrySeconds;
            DemoEvents events = new DemoEvents(3 * BATCH, name.hashCode());
            for (int b = 0; b < 3; b++) {
                List<DemoEvents.Event> batch = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    batch.add(events.next());
                }
                batches.add(batch);
            }
        }

        JobClient start() throws Exception {
            try (Connection c = POSTGRES.connect();
                    Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + schema);
                st.execute(DemoEvents.createTableSql(table));
            }
            KINESIS.streams().createStream(stream, SHARDS);
            groups = demoJobConfig(stream, BUCKET, prefix, schema, CHECKPOINT_INTERVAL_MS);
            Properties warehouse = groups.get(WarehouseOptions.GROUP);
            warehouse.setProperty(
                    WarehouseOptions.RETRY_DURATION_S.key(), Long.toString(retrySeconds));
            warehouse.setProperty(WarehouseOptions.RETRY_BACKOFF_INITIAL_MS.key(), "100");
            warehouse.setProperty(WarehouseOptions.RETRY_BACKOFF_MAX_MS.key(), "500");
            warehouse.setProperty(
                    WarehouseOptions.COLUMN_TYPES_CHECK.key(), Boolean.toString(columnTypesCheck));
            SluiceConfig config = SluiceConfig.from(groups);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(PARALLELISM);
            env.enableCheckpointing(CHECKPOINT_INTERVAL_MS);
            SluicePipeline.build(env, config, config.loader());
            return env.executeAsync("load failures " + name);
        }

        void put(int batch) {
            put(batch, 0, 1);
        }

        /** Part {@code part} of {@code parts} equal slices of a batch. */
        void put(int batch, int part, int parts) {
            List<DemoEvents.Event> all = batches.get(batch);
            int size = all.size() / parts;
            int end = part == parts - 1 ? all.size() : (part + 1) * size;
            List<ProducerRecord> records = new ArrayList<>();
            for (DemoEvents.Event e : all.subList(part * size, end)) {
                records.add(new ProducerRecord(e.partitionKey(), e.json()));
            }
            assertThat(KINESIS.streams().producer().putAll(stream, records))
                    .isEqualTo(records.size());
        }

        void putRaw(String json) {
            List<ProducerRecord> records =
                    List.of(new ProducerRecord("poison", json.getBytes(StandardCharsets.UTF_8)));
            assertThat(KINESIS.streams().producer().putAll(stream, records)).isEqualTo(1);
        }

        Set<String> batchIds(int batch) {
            Set<String> ids = new HashSet<>();
            batches.get(batch).forEach(e -> ids.add(e.eventId()));
            return ids;
        }

        void awaitRows(JobClient job, long atLeast) throws Exception {
            await(job, () -> rows() >= atLeast, atLeast + " rows");
        }

        long rows() {
            return queryLong("SELECT count(*) FROM " + table);
        }

        Set<String> loadedIds() {
            Set<String> values = new HashSet<>();
            try (Connection c = POSTGRES.connect();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT event_id FROM " + table)) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            } catch (Exception e) {
                return Set.of();
            }
            return values;
        }

        void assertEveryRowOnce(int batchCount) {
            Set<String> expected = new HashSet<>();
            for (int b = 0; b < batchCount; b++) {
                expected.addAll(batchIds(b));
            }
            assertThat(rows()).isEqualTo(expected.size());
            assertThat(loadedIds()).isEqualTo(expected);
        }

        List<String> failedManifests() {
            List<String> manifests = new ArrayList<>();
            for (String key : S3.listKeys(BUCKET, prefix + "errors/load-failed/")) {
                if (key.endsWith(".manifest")) {
                    manifests.add(key);
                }
            }
            return manifests;
        }

        /** Every line of every object under errors/load-rejected/. */
        List<JsonNode> rejectedRows() {
            List<JsonNode> rows = new ArrayList<>();
            for (String key : S3.listKeys(BUCKET, prefix + "errors/load-rejected/")) {
                if (!ErrorFiles.holdsRecords(key)) {
                    continue;
                }
                try (var in =
                        new java.util.zip.GZIPInputStream(
                                new java.io.ByteArrayInputStream(S3.getObject(BUCKET, key)))) {
                    for (String line :
                            new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isBlank()) {
                            rows.add(new ObjectMapper().readTree(line));
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return rows;
        }

        FailedLoad failure(String manifestKey) throws Exception {
            String errorKey =
                    manifestKey.substring(0, manifestKey.length() - ".manifest".length())
                            + ".error.json";
            return FailedLoad.parse(S3.getObject(BUCKET, errorKey));
        }

        /** Runs {@code ./sluice replay} as a user would, on the job's configuration file. */
        String replay(String... args) throws Exception {
            Path configFile = tempDir.resolve(name + "-config.json");
            LocalConfig.write(groups, configFile);
            List<String> all = new ArrayList<>(List.of("--config", configFile.toString()));
            all.addAll(List.of(args));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status =
                    ReplayCommandAccess.run(
                            all.toArray(new String[0]),
                            new PrintStream(out, true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            String report = out.toString(StandardCharsets.UTF_8);
            assertThat(status).as("replay exit status; stderr: %s", err).isZero();
            return report;
        }

        long queryLong(String sql) {
            try (Connection c = POSTGRES.connect();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            } catch (Exception e) {
                return -1;
            }
        }
    }
}
