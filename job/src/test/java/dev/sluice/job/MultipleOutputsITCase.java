package dev.sluice.job;

import dev.sluice.job.config.OutputOptions;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.StagingOptions;
import dev.sluice.job.config.TransformOptions;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.sinks.s3.format.ParquetTestFiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One job, several outputs, one failure: CSV staging (loaded into PostgreSQL), a Parquet (ZSTD)
 * lake partitioned by event type and event day, and a plain JSON archive are written from the same
 * stream; the job fails mid-run with files open in all of them, and afterwards the table and every
 * output hold every record exactly once.
 */
class MultipleOutputsITCase extends LocalStackTestBase {

    private static final int RECORDS = 4_000;
    private static final long CHECKPOINT_INTERVAL_MS = 1_000L;
    private static final String BUCKET = "sluice-outputs-it";
    private static final String STREAM = "multiple-outputs";
    private static final String SCHEMA = "outputs";
    private static final String TABLE = SCHEMA + ".user_events";
    private static final long TIMEOUT_SECONDS = 180;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Path USER_EVENTS_SCHEMA = Path.of("..", "conf", "user_events.avsc");

    @BeforeAll
    static void createBucket() {
        S3.createBucket(BUCKET);
    }

    @Test
    void aFailureMidRunLeavesEveryOutputExactlyOnce() throws Exception {
        POSTGRES.execute("CREATE SCHEMA " + SCHEMA);
        POSTGRES.execute(DemoEvents.createTableSql(TABLE));
        List<ProducerRecord> records = new ArrayList<>();
        Set<String> produced = new HashSet<>();
        DemoEvents events = new DemoEvents(RECORDS, 23L);
        while (events.hasNext()) {
            DemoEvents.Event e = events.next();
            produced.add(e.eventId());
            records.add(new ProducerRecord(e.partitionKey(), e.json()));
        }
        KINESIS.streams().createStream(STREAM, 2);

        Map<String, Properties> groups =
                demoJobConfig(STREAM, BUCKET, "multi/staging/", SCHEMA, CHECKPOINT_INTERVAL_MS);
        Properties transform = new Properties();
        transform.setProperty(TransformOptions.CHAIN.key(), "json,user");
        transform.setProperty(TransformOptions.CLASS.key(), FailOnceTransform.class.getName());
        transform.setProperty(TransformOptions.ON_EXCEPTION.key(), "FAIL_JOB");
        groups.put(TransformOptions.GROUP, transform);
        // CSV staging: the postgres loader streams these files into COPY as they are.
        groups.get(StagingOptions.GROUP).setProperty(OutputOptions.FORMAT.key(), "CSV");
        output(
                groups,
                "lake",
                "prefix",
                "multi/lake/type=!{partitionKeyFromQuery:event_type}/dt=!{timestamp:yyyy-MM-dd}/",
                "prefix.time",
                "EVENT",
                "format",
                "PARQUET",
                "compression",
                "ZSTD",
                "parquet.schema.file",
                USER_EVENTS_SCHEMA.toString());
        output(
                groups,
                "archive",
                "prefix",
                "multi/archive/",
                "format",
                "JSON",
                "compression",
                "NONE");
        SluiceConfig config = SluiceConfig.from(groups);

        FailOnceTransform.arm(RECORDS * 3L / 4);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(SLOTS);
        env.enableCheckpointing(CHECKPOINT_INTERVAL_MS);
        SluicePipeline.build(env, config);
        JobClient job = env.executeAsync("multiple outputs");
        try {
            put(records.subList(0, RECORDS / 2));
            // Let a checkpoint complete first, so the failure comes after committed files.
            await(job, () -> POSTGRES.queryLong("SELECT count(*) FROM " + TABLE) > 0);
            put(records.subList(RECORDS / 2, RECORDS));
            await(
                    job,
                    () ->
                            POSTGRES.queryLong("SELECT count(*) FROM " + TABLE) >= RECORDS
                                    && rows("multi/lake/").size() >= RECORDS
                                    && rows("multi/archive/").size() >= RECORDS);
            // Two more checkpoints: a duplicate, had there been one, would show now.
            Thread.sleep(3 * CHECKPOINT_INTERVAL_MS);
            assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }

        assertThat(FailOnceTransform.fired()).as("the injected failure happened").isTrue();
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + TABLE)).isEqualTo(RECORDS);
        assertThat(POSTGRES.querySet("SELECT event_id FROM " + TABLE)).isEqualTo(produced);

        assertThat(S3.listKeys(BUCKET, "multi/staging/"))
                .filteredOn(k -> !k.contains("/manifests/"))
                .isNotEmpty()
                .allSatisfy(
                        k -> assertThat(k).matches("multi/staging/.+/staging-[^/]+\\.csv\\.gz"));

        List<Row> lake = rows("multi/lake/");
        assertThat(lake).hasSize(RECORDS);
        assertThat(lake.stream().map(r -> r.get("event_id")).collect(toSet())).isEqualTo(produced);
        assertThat(lake)
                .allSatisfy(
                        r ->
                                assertThat(r.key)
                                        .as("each row under its own event type and day")
                                        .startsWith(
                                                "multi/lake/type="
                                                        + r.get("event_type")
                                                        + "/dt="
                                                        + r.eventDay()
                                                        + "/lake-")
                                        .endsWith(".parquet"));

        List<Row> archive = rows("multi/archive/");
        assertThat(archive).hasSize(RECORDS);
        assertThat(archive.stream().map(r -> r.get("event_id")).collect(toSet()))
                .isEqualTo(produced);
        assertThat(archive)
                .allSatisfy(
                        r -> assertThat(r.key).matches("multi/archive/.+/archive-[^/]+\\.json"));
    }

    /** One record of an output file, JSON line or Parquet row, and the object it is in. */
    private static final class Row {
        final String key;
        final JsonNode json;
        final GenericRecord parquet;

        Row(String key, JsonNode json, GenericRecord parquet) {
            this.key = key;
            this.json = json;
            this.parquet = parquet;
        }

        String get(String field) {
            return json != null ? json.get(field).asText() : parquet.get(field).toString();
        }

        /** The UTC day of the event time, as {@code !{timestamp:yyyy-MM-dd}} renders it. */
        String eventDay() {
            return json != null
                    ? get("event_timestamp").substring(0, 10)
                    : Instant.ofEpochMilli((Long) parquet.get("event_timestamp"))
                            .toString()
                            .substring(0, 10);
        }
    }

    private static void output(Map<String, Properties> groups, String name, String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        groups.put(OutputOptions.GROUP_PREFIX + name, p);
    }

    private static void put(List<ProducerRecord> records) {
        assertThat(KINESIS.streams().producer().putAll(STREAM, records)).isEqualTo(records.size());
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(JobClient job, Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.holds()) {
            assertThat(System.nanoTime()).as("delivery before the deadline").isLessThan(deadline);
            assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState())
                    .isFalse();
            Thread.sleep(250);
        }
    }

    /** Every record in the committed files under {@code prefix}: JSON lines or Parquet rows. */
    private static List<Row> rows(String prefix) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String key : S3.listKeys(BUCKET, prefix)) {
            byte[] content = S3.getObject(BUCKET, key);
            if (key.endsWith(".parquet")) {
                for (GenericRecord r : ParquetTestFiles.records(content)) {
                    rows.add(new Row(key, null, r));
                }
                continue;
            }
            try (InputStream in =
                    key.endsWith(".gz")
                            ? new GZIPInputStream(new ByteArrayInputStream(content))
                            : new ByteArrayInputStream(content)) {
                for (String line :
                        new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isEmpty()) {
                        rows.add(new Row(key, JSON.readTree(line), null));
                    }
                }
            }
        }
        return rows;
    }
}
