package dev.sluice.job;

import dev.sluice.job.config.EventTimeOptions;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.operators.transform.ErrorCodes;
import dev.sluice.sinks.s3.errors.ErrorEnvelope;
import dev.sluice.sinks.s3.errors.ErrorFiles;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The late-record policy {@code ERRORS} end to end: events an hour in the future move the
 * watermark; events from "now" sent afterwards are behind it and must land in {@code errors/late/}
 * with code {@code Record.Late} and their original bytes, and not in the table.
 */
class LateRecordsITCase extends LocalStackTestBase {

    private static final Instant FUTURE = Instant.parse("2030-01-01T13:00:00Z");
    private static final Instant PAST = Instant.parse("2030-01-01T12:00:00Z");
    private static final int ON_TIME = 100;
    private static final int LATE = 50;
    private static final String BUCKET = "sluice-late-it";
    private static final String STREAM = "late-events";
    private static final String PREFIX = "late/";
    private static final String SCHEMA = "late";
    private static final String TABLE = SCHEMA + ".user_events";
    private static final long CHECKPOINT_INTERVAL_MS = 1_000L;
    private static final long TIMEOUT_SECONDS = 120;

    @BeforeAll
    static void createBucket() {
        S3.createBucket(BUCKET);
    }

    @Test
    void recordsBehindTheWatermarkGoToTheLateErrorsPrefixInsteadOfTheTable() throws Exception {
        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + SCHEMA);
            st.execute(DemoEvents.createTableSql(TABLE));
        }
        KINESIS.streams().createStream(STREAM, 2);

        Map<String, Properties> groups =
                demoJobConfig(STREAM, BUCKET, PREFIX, SCHEMA, CHECKPOINT_INTERVAL_MS);
        Properties eventTime = new Properties();
        eventTime.setProperty(EventTimeOptions.FIELD.key(), "event_timestamp");
        eventTime.setProperty(EventTimeOptions.MAX_OUT_OF_ORDERNESS_MS.key(), "1000");
        eventTime.setProperty(EventTimeOptions.IDLE_SHARD_TIMEOUT_MS.key(), "500");
        eventTime.setProperty(EventTimeOptions.LATE_RECORDS.key(), "ERRORS");
        groups.put(EventTimeOptions.GROUP, eventTime);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(CHECKPOINT_INTERVAL_MS);
        env.setRestartStrategy(RestartStrategies.noRestart());
        env.getConfig().setAutoWatermarkInterval(100);
        SluicePipeline.build(env, SluiceConfig.from(groups));
        JobClient job = env.executeAsync("late records");
        List<byte[]> late = new ArrayList<>();
        try {
            put(events("on-time", ON_TIME, FUTURE));
            await(job, () -> queryLong("SELECT count(*) FROM " + TABLE) >= ON_TIME, "on-time rows");
            // The future events are loaded, so watermarks past them have long been emitted.
            for (ProducerRecord r : events("late", LATE, PAST)) {
                late.add(r.data());
            }
            put(events("late", LATE, PAST));
            await(job, () -> lateLines().size() >= LATE, "late error lines");
            Thread.sleep(3 * CHECKPOINT_INTERVAL_MS);
            assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }

        assertThat(queryLong("SELECT count(*) FROM " + TABLE)).isEqualTo(ON_TIME);
        List<ErrorEnvelope> lines = lateLines();
        assertThat(lines).hasSize(LATE).allMatch(e -> e.errorCode().equals(ErrorCodes.LATE_RECORD));
        Set<String> expected =
                late.stream().map(LateRecordsITCase::text).collect(Collectors.toSet());
        assertThat(lines.stream().map(e -> text(e.rawData())).collect(Collectors.toSet()))
                .isEqualTo(expected);
        assertThat(S3.listKeys(BUCKET, PREFIX + "errors/processing-failed/")).isEmpty();
    }

    private static List<ProducerRecord> events(String kind, int count, Instant time) {
        List<ProducerRecord> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String json =
                    "{\"event_id\":\""
                            + kind
                            + "-"
                            + i
                            + "\",\"event_type\":\"click\","
                            + "\"event_timestamp\":\""
                            + time.plusMillis(i)
                            + "\"}";
            out.add(new ProducerRecord("same-key", json.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static void put(List<ProducerRecord> records) {
        assertThat(KINESIS.streams().producer().putAll(STREAM, records)).isEqualTo(records.size());
    }

    private static List<ErrorEnvelope> lateLines() {
        List<ErrorEnvelope> out = new ArrayList<>();
        for (String key : S3.listKeys(BUCKET, PREFIX + "errors/late/")) {
            out.addAll(ErrorFiles.read(S3.getObject(BUCKET, key)));
        }
        return out;
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(JobClient job, Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!check.ok()) {
            JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
            assertThat(status.isGloballyTerminalState()).as("job status: %s", status).isFalse();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " after " + TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(200);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static long queryLong(String sql) throws Exception {
        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
