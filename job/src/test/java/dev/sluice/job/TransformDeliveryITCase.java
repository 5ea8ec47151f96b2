package dev.sluice.job;

import dev.sluice.job.config.EventTimeOptions;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.TransformOptions;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.operators.transform.ErrorCodes;
import dev.sluice.sinks.s3.errors.ErrorEnvelope;
import dev.sluice.sinks.s3.errors.ErrorFiles;
import dev.sluice.sinks.s3.errors.ErrorOutput;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transform stage end to end on the real local stack (kinesalite, S3Proxy, PostgreSQL, a
 * MiniCluster at parallelism 2): a shuffled stream of good events (some without an event time),
 * events the filter drops, events the user transform rejects or throws on, non-JSON, invalid UTF-8
 * and oversize records.
 *
 * <p>Passes when the table holds exactly the Ok events, once each; every failed record is in {@code
 * errors/processing-failed/} exactly once with the expected code and decodes to its original bytes;
 * nothing else is anywhere; and the job, which runs with restarts disabled, never failed.
 */
class TransformDeliveryITCase extends LocalStackTestBase {

    private static final int GOOD = 1_500;
    private static final int GOOD_WITHOUT_EVENT_TIME = 200;
    private static final int DROPPED = 300;
    private static final int EXPLODING = 60;
    private static final int REJECTED = 60;
    private static final int NOT_JSON = 60;
    private static final int INVALID_UTF8 = 60;
    private static final int OVERSIZE = 20;
    private static final int MAX_RECORD_BYTES = 4_096;

    private static final int PARALLELISM = 2;
    private static final long CHECKPOINT_INTERVAL_MS = 1_000L;
    private static final String BUCKET = "sluice-transform-it";
    private static final String STREAM = "mixed-events";
    private static final String PREFIX = "mixed/";
    private static final String SCHEMA = "mixed";
    private static final String TABLE = SCHEMA + ".user_events";
    private static final long TIMEOUT_SECONDS = 180;

    private final Set<String> okIds = new HashSet<>();

    /** Original bytes (as a comparable buffer) → the error code expected for them. */
    private final Map<ByteBuffer, String> expectedErrors = new HashMap<>();

    @BeforeAll
    static void createBucket() {
        S3.createBucket(BUCKET);
    }

    @Test
    void okRecordsBecomeRowsOnceAndEveryFailedRecordIsRecoverableFromTheErrorsPrefix()
            throws Exception {
        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + SCHEMA);
            st.execute(DemoEvents.createTableSql(TABLE));
        }
        List<ProducerRecord> records = mixedStream();
        KINESIS.streams().createStream(STREAM, 4);
        assertThat(KINESIS.streams().producer().putAll(STREAM, records)).isEqualTo(records.size());

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(CHECKPOINT_INTERVAL_MS);
        env.setRestartStrategy(RestartStrategies.noRestart());
        SluicePipeline.build(env, SluiceConfig.from(configuration()));
        JobClient job = env.executeAsync("transform delivery");
        try {
            awaitDelivery(job);
            // Two more checkpoints: a duplicate, had there been one, would show now.
            Thread.sleep(3 * CHECKPOINT_INTERVAL_MS);
            assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }

        assertThat(queryLong("SELECT count(*) FROM " + TABLE)).isEqualTo(okIds.size());
        assertThat(querySet("SELECT event_id FROM " + TABLE)).isEqualTo(okIds);
        assertThat(queryLong("SELECT count(*) FROM " + TABLE + " WHERE event_timestamp IS NULL"))
                .as("events without an event time are delivered, not failed")
                .isEqualTo(GOOD_WITHOUT_EVENT_TIME);

        List<ErrorEnvelope> errors = errorLines();
        assertThat(errors).hasSize(expectedErrors.size());
        Map<ByteBuffer, String> actual = new HashMap<>();
        for (ErrorEnvelope e : errors) {
            assertThat(actual.put(ByteBuffer.wrap(e.rawData()), e.errorCode()))
                    .as("each failed record is in the errors prefix once")
                    .isNull();
            assertThat(e.attemptsMade()).isEqualTo(1);
            assertThat(e.stream()).isEqualTo(STREAM);
            assertThat(e.shardId()).startsWith("shardId-");
            assertThat(e.sequenceNumber()).isNotBlank();
            assertThat(e.partitionKey()).isNotBlank();
            assertThat(e.approximateArrivalTimestamp()).isPositive();
            assertThat(e.processingTimestamp())
                    .isGreaterThanOrEqualTo(e.approximateArrivalTimestamp());
        }
        assertThat(actual).isEqualTo(expectedErrors);
        assertThat(S3.listKeys(BUCKET, PREFIX + "errors/"))
                .as("only processing-failed errors (late records are delivered by default)")
                .allMatch(k -> k.startsWith(PREFIX + "errors/processing-failed/"));
    }

    private Map<String, Properties> configuration() {
        Map<String, Properties> groups =
                demoJobConfig(STREAM, BUCKET, PREFIX, SCHEMA, CHECKPOINT_INTERVAL_MS);
        Properties transform = new Properties();
        transform.setProperty(TransformOptions.CHAIN.key(), "max-size,json,filter,user");
        transform.setProperty(
                TransformOptions.MAX_RECORD_BYTES.key(), Integer.toString(MAX_RECORD_BYTES));
        transform.setProperty(TransformOptions.FILTER_FIELD.key(), "event_type");
        transform.setProperty(TransformOptions.FILTER_OPERATOR.key(), "NOT_EQUALS");
        transform.setProperty(TransformOptions.FILTER_VALUE.key(), "heartbeat");
        transform.setProperty(TransformOptions.CLASS.key(), FailOnDemandTransform.class.getName());
        groups.put(TransformOptions.GROUP, transform);
        Properties eventTime = new Properties();
        eventTime.setProperty(EventTimeOptions.FIELD.key(), "event_timestamp");
        groups.put(EventTimeOptions.GROUP, eventTime);
        return groups;
    }

    private List<ProducerRecord> mixedStream() {
        List<ProducerRecord> records = new ArrayList<>();
        DemoEvents events = new DemoEvents(GOOD, 7L);
        int n = 0;
        while (events.hasNext()) {
            DemoEvents.Event e = events.next();
            okIds.add(e.eventId());
            String json = new String(e.json(), StandardCharsets.UTF_8);
            if (n++ < GOOD_WITHOUT_EVENT_TIME) {
                json = json.replaceAll(",\"event_timestamp\":\"[^\"]*\"", "");
            }
            records.add(ProducerRecord.of(e.partitionKey(), json));
        }
        for (int i = 0; i < DROPPED; i++) {
            records.add(new ProducerRecord("p" + i, event("dropped-" + i, "heartbeat")));
        }
        for (int i = 0; i < EXPLODING; i++) {
            fails(records, event("explode-" + i, "explode"), ErrorCodes.TRANSFORM_EXCEPTION);
        }
        for (int i = 0; i < REJECTED; i++) {
            fails(records, event("reject-" + i, "reject"), FailOnDemandTransform.REJECTED);
        }
        for (int i = 0; i < NOT_JSON; i++) {
            fails(records, bytes("plain text line " + i + ", not JSON"), ErrorCodes.INVALID_JSON);
        }
        for (int i = 0; i < INVALID_UTF8; i++) {
            byte[] latin1 =
                    ("{\"event_id\":\"caf\u00e9-" + i + "\"}")
                            .getBytes(StandardCharsets.ISO_8859_1);
            fails(records, latin1, ErrorCodes.INVALID_UTF8);
        }
        for (int i = 0; i < OVERSIZE; i++) {
            String padding = "x".repeat(MAX_RECORD_BYTES);
            fails(
                    records,
                    event("big-" + i, "click\",\"pad\":\"" + padding),
                    ErrorCodes.RECORD_TOO_LARGE);
        }
        Collections.shuffle(records, new Random(3));
        return records;
    }

    private void fails(List<ProducerRecord> records, byte[] data, String code) {
        records.add(new ProducerRecord("f" + records.size(), data));
        assertThat(expectedErrors.put(ByteBuffer.wrap(data), code)).isNull();
    }

    private static byte[] event(String id, String type) {
        return bytes("{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\"}");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void awaitDelivery(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
            assertThat(status.isGloballyTerminalState())
                    .as("job status while delivering: %s", status)
                    .isFalse();
            if (queryLong("SELECT count(*) FROM " + TABLE) >= okIds.size()
                    && errorLines().size() >= expectedErrors.size()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(
                "after "
                        + TIMEOUT_SECONDS
                        + " s: "
                        + queryLong("SELECT count(*) FROM " + TABLE)
                        + " of "
                        + okIds.size()
                        + " rows, "
                        + errorLines().size()
                        + " of "
                        + expectedErrors.size()
                        + " error lines");
    }

    private List<ErrorEnvelope> errorLines() {
        List<ErrorEnvelope> out = new ArrayList<>();
        String errors = PREFIX + ErrorOutput.ERRORS_DIRECTORY + "/";
        for (String key : S3.listKeys(BUCKET, errors)) {
            out.addAll(ErrorFiles.read(S3.getObject(BUCKET, key)));
        }
        return out;
    }

    private static long queryLong(String sql) throws Exception {
        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Set<String> querySet(String sql) throws Exception {
        Set<String> values = new HashSet<>();
        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
