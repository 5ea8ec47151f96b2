package dev.sluice.job;

import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.WarehouseOptions;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.sinks.s3.errors.ErrorFiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10's acceptance for values the table cannot hold, on the real local stack (kinesalite,
 * S3Proxy, PostgreSQL, a MiniCluster): eight poison records among 10,000 good ones.
 *
 * <ul>
 *   <li>With the type-aware mapping on (the default), the epoch millis and epoch seconds in the
 *       {@code TIMESTAMP} column are converted and load as timestamps; the other six (a
 *       300-character string in a {@code VARCHAR(64)}, an impossible date, {@code 1e400} and {@code
 *       "12abc"} in an {@code INTEGER}, a NUL character in text, a JSON object in an {@code
 *       INTEGER}) are in {@code errors/format-conversion-failed/}, each naming its column, and no
 *       load ever sees them.
 *   <li>With the mapping off ({@code column.types.check=false}) all eight reach the loader, which
 *       isolates them: each is in {@code errors/load-rejected/} and every good row loads once.
 * </ul>
 *
 * In both, {@code errors/load-failed/} stays empty and the table holds each good row exactly once.
 */
class ColumnTypeMappingITCase extends LocalStackTestBase {

    private static final int GOOD = 10_000;
    private static final String BUCKET = "sluice-column-types-it";
    private static final long CHECKPOINT_INTERVAL_MS = 1_000L;
    private static final long TIMEOUT_SECONDS = 180;
    private static final String COLUMNS = DemoEvents.COLUMNS + ",clicks";

    /** Poison id → the record; ids are the event_id, so every outcome can be traced. */
    private static final Map<String, String> POISON = new LinkedHashMap<>();

    /** Poison id → the column its refusal must name (mapping on). */
    private static final Map<String, String> REFUSED_COLUMN = new HashMap<>();

    static {
        POISON.put("epoch-millis", poison("epoch-millis", "\"event_timestamp\":1763719800000"));
        POISON.put("epoch-seconds", poison("epoch-seconds", "\"event_timestamp\":1763719800"));
        POISON.put("long-text", poison("long-text", "\"user_id\":\"" + "u".repeat(300) + "\""));
        POISON.put(
                "impossible-date",
                poison("impossible-date", "\"event_timestamp\":\"2026-13-45T25:61:00Z\""));
        POISON.put("huge-number", poison("huge-number", "\"clicks\":1e400"));
        POISON.put("not-a-number", poison("not-a-number", "\"clicks\":\"12abc\""));
        POISON.put("nul-byte", poison("nul-byte", "\"event_type\":\"cl\\u0000ick\""));
        POISON.put("object", poison("object", "\"clicks\":{\"n\":1}"));
        REFUSED_COLUMN.put("long-text", "user_id");
        REFUSED_COLUMN.put("impossible-date", "event_timestamp");
        REFUSED_COLUMN.put("huge-number", "clicks");
        REFUSED_COLUMN.put("not-a-number", "clicks");
        REFUSED_COLUMN.put("nul-byte", "event_type");
        REFUSED_COLUMN.put("object", "clicks");
    }

    private static String poison(String id, String field) {
        return "{\"event_id\":\""
                + id
                + "\",\"user_id\":\"u\",\"event_type\":\"click\","
                + field
                + "}";
    }

    @BeforeAll
    static void createBucket() {
        S3.createBucket(BUCKET);
    }

    @Test
    void withTheMappingOnEpochsLoadAsTimestampsAndEveryOtherPoisonValueIsRefusedNamingItsColumn()
            throws Exception {
        Scenario scenario = new Scenario("types_on", true);
        JobClient job = scenario.start();
        try {
            scenario.putAll();
            scenario.await(
                    job,
                    () ->
                            scenario.rows() >= GOOD + 2
                                    && scenario.errors("format-conversion-failed").size()
                                            >= REFUSED_COLUMN.size());
            Thread.sleep(3 * CHECKPOINT_INTERVAL_MS);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        scenario.assertGoodRowsOnce(List.of("epoch-millis", "epoch-seconds"));
        assertThat(
                        scenario.query(
                                "SELECT to_char(event_timestamp, 'YYYY-MM-DD HH24:MI:SS') FROM "
                                        + scenario.table
                                        + " WHERE event_id IN ('epoch-millis', 'epoch-seconds')"))
                .containsExactly("2025-11-21 10:10:00", "2025-11-21 10:10:00");

        Map<String, String> refused = new HashMap<>();
        for (JsonNode envelope : scenario.errors("format-conversion-failed")) {
            String raw = raw(envelope);
            String id = ObjectMapperHolder.JSON.readTree(raw).path("event_id").asText();
            assertThat(refused.put(id, envelope.path("errorMessage").asText()))
                    .as("one error line per poison record")
                    .isNull();
            assertThat(POISON.get(id)).as("raw bytes kept").isEqualTo(raw);
        }
        assertThat(refused.keySet()).isEqualTo(REFUSED_COLUMN.keySet());
        REFUSED_COLUMN.forEach(
                (id, column) ->
                        assertThat(refused.get(id)).contains("for column '" + column + "'"));
        assertThat(scenario.errors("load-rejected")).isEmpty();
        assertThat(scenario.loadFailedKeys()).isEmpty();
        assertThat(scenario.ledgerRejectedRows()).as("the ledger's rejected-row count").isZero();
    }

    @Test
    void withTheMappingOffThePoisonReachesTheLoaderWhichRejectsItRowByRow() throws Exception {
        Scenario scenario = new Scenario("types_off", false);
        JobClient job = scenario.start();
        try {
            scenario.putAll();
            scenario.await(
                    job,
                    () ->
                            scenario.rows() >= GOOD
                                    && scenario.errors("load-rejected").size() >= POISON.size());
            Thread.sleep(3 * CHECKPOINT_INTERVAL_MS);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        scenario.assertGoodRowsOnce(List.of());
        List<String> rejectedIds = new ArrayList<>();
        for (JsonNode envelope : scenario.errors("load-rejected")) {
            rejectedIds.add(
                    ObjectMapperHolder.JSON.readTree(raw(envelope)).path("event_id").asText());
            assertThat(envelope.path("errorMessage").asText()).isNotBlank();
        }
        assertThat(rejectedIds).containsExactlyInAnyOrderElementsOf(POISON.keySet());
        assertThat(scenario.errors("format-conversion-failed")).isEmpty();
        assertThat(scenario.loadFailedKeys()).isEmpty();
        assertThat(scenario.ledgerRejectedRows())
                .as("the ledger counts each rejected row once, across all loads")
                .isEqualTo(POISON.size());
    }

    private static String raw(JsonNode envelope) {
        return new String(
                Base64.getDecoder().decode(envelope.path("rawData").asText()),
                StandardCharsets.UTF_8);
    }

    private static final class ObjectMapperHolder {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private static final class Scenario {
        final String name;
        final String stream;
        final String prefix;
        final String schema;
        final String table;
        final boolean mapping;
        final List<DemoEvents.Event> good = new ArrayList<>();

        Scenario(String name, boolean mapping) {
            this.name = name;
            this.stream = "column-types-" + name.replace('_', '-');
            this.prefix = name + "/";
            this.schema = name;
            this.table = name + ".user_events";
            this.mapping = mapping;
            DemoEvents events = new DemoEvents(GOOD, name.hashCode());
            while (events.hasNext()) {
                good.add(events.next());
            }
        }

        JobClient start() throws Exception {
            try (Connection c = POSTGRES.connect();
                    Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + schema);
                st.execute(DemoEvents.createTableSql(table));
                st.execute("ALTER TABLE " + table + " ADD COLUMN clicks INTEGER");
            }
            KINESIS.streams().createStream(stream, 2);
            Map<String, Properties> groups =
                    demoJobConfig(stream, BUCKET, prefix, schema, CHECKPOINT_INTERVAL_MS);
            Properties warehouse = groups.get(WarehouseOptions.GROUP);
            warehouse.setProperty(WarehouseOptions.COLUMNS.key(), COLUMNS);
            warehouse.setProperty(
                    WarehouseOptions.COLUMN_TYPES_CHECK.key(), Boolean.toString(mapping));
            SluiceConfig config = SluiceConfig.from(groups);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            env.enableCheckpointing(CHECKPOINT_INTERVAL_MS);
            SluicePipeline.build(env, config);
            return env.executeAsync("column types " + name);
        }

        /** The good records with the poison spread among them, in one stream. */
        void putAll() {
            List<ProducerRecord> records = new ArrayList<>();
            List<String> poison = new ArrayList<>(POISON.values());
            int every = GOOD / (poison.size() + 1);
            for (int i = 0; i < good.size(); i++) {
                records.add(new ProducerRecord(good.get(i).partitionKey(), good.get(i).json()));
                if ((i + 1) % every == 0 && !poison.isEmpty()) {
                    String p = poison.remove(0);
                    records.add(
                            new ProducerRecord("poison-" + i, p.getBytes(StandardCharsets.UTF_8)));
                }
            }
            assertThat(poison).isEmpty();
            assertThat(KINESIS.streams().producer().putAll(stream, records))
                    .isEqualTo(records.size());
        }

        void await(JobClient job, java.util.function.BooleanSupplier done) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (System.nanoTime() < deadline) {
                JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
                assertThat(status.isGloballyTerminalState()).as("job status").isFalse();
                if (done.getAsBoolean()) {
                    return;
                }
                Thread.sleep(250);
            }
            throw new AssertionError(
                    "after "
                            + TIMEOUT_SECONDS
                            + " s: "
                            + rows()
                            + " rows, "
                            + errors("format-conversion-failed").size()
                            + " refused, "
                            + errors("load-rejected").size()
                            + " rejected");
        }

        /** Every good record's row exactly once, plus {@code extra} poison ids; nothing else. */
        void assertGoodRowsOnce(List<String> extra) throws Exception {
            List<String> expected = new ArrayList<>(extra);
            good.forEach(e -> expected.add(e.eventId()));
            List<String> loaded = query("SELECT event_id FROM " + table);
            assertThat(loaded).hasSize(expected.size());
            assertThat(loaded).containsExactlyInAnyOrderElementsOf(expected);
        }

        /** The sum of the ledger's rejected_row_count over this table's loads. */
        long ledgerRejectedRows() throws Exception {
            return Long.parseLong(
                    query(
                                    "SELECT coalesce(sum(rejected_row_count), -1) FROM "
                                            + schema
                                            + ".sluice_load_ledger WHERE target_table = '"
                                            + table
                                            + "'")
                            .get(0));
        }

        long rows() {
            try {
                return Long.parseLong(query("SELECT count(*) FROM " + table).get(0));
            } catch (Exception e) {
                return -1;
            }
        }

        List<String> query(String sql) throws Exception {
            List<String> values = new ArrayList<>();
            try (Connection c = POSTGRES.connect();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }

        /** Every line of every record-bearing object under {@code errors/<kind>/}. */
        List<JsonNode> errors(String kind) {
            List<JsonNode> lines = new ArrayList<>();
            for (String key : S3.listKeys(BUCKET, prefix + "errors/" + kind + "/")) {
                if (!ErrorFiles.holdsRecords(key)) {
                    continue;
                }
                try (GZIPInputStream in =
                        new GZIPInputStream(new ByteArrayInputStream(S3.getObject(BUCKET, key)))) {
                    for (String line :
                            new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isBlank()) {
                            lines.add(ObjectMapperHolder.JSON.readTree(line));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return lines;
        }

        List<String> loadFailedKeys() {
            return S3.listKeys(BUCKET, prefix + "errors/load-failed/");
        }
    }
}
