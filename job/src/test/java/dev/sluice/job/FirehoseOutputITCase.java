package dev.sluice.job;

import dev.sluice.job.config.FirehoseOutputOptions;
import dev.sluice.job.config.OutputOptions;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.TransformOptions;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.FirehoseEndpointExtension;
import dev.sluice.localstack.FirehoseServer;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.sinks.firehose.FirehoseRecordSizeGate;
import dev.sluice.sinks.s3.errors.ErrorEnvelope;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.connector.aws.config.AWSConfigConstants;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code FIREHOSE} output: the real {@code KinesisFirehoseSink} (SDK v2 {@code
 * FirehoseAsyncClient}, endpoint overridden) sends the transformed records to the local {@link
 * FirehoseServer}, which writes what it accepts to S3Proxy. The endpoint fails a share of the
 * entries on demand; the sink must re-send exactly those, so every record arrives. Duplicates are
 * allowed only where docs/outputs.md says they happen: after the job restarts from a checkpoint.
 */
class FirehoseOutputITCase extends LocalStackTestBase {

    private static final Logger LOG = LoggerFactory.getLogger(FirehoseOutputITCase.class);

    private static final int RECORDS = 3_000;
    private static final long CHECKPOINT_INTERVAL_MS = 1_000L;
    private static final String BUCKET = "sluice-firehose-it";
    private static final long TIMEOUT_SECONDS = 180;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final FirehoseEndpointExtension FIREHOSE = new FirehoseEndpointExtension(S3);

    @BeforeAll
    static void createBucket() {
        S3.createBucket(BUCKET);
    }

    @AfterEach
    void stopFailing() {
        FIREHOSE.server().failEntries(0, 0, 0L);
    }

    @Test
    void partiallyFailedBatchesAreResentUntilEveryRecordArrivesOnce() throws Exception {
        FIREHOSE.server().createDeliveryStream("clicks", BUCKET, "firehose/clicks/");
        // About one entry in ten fails, 200 in all: many batches come back partly failed.
        long failedBefore = FIREHOSE.server().failedEntries();
        FIREHOSE.server().failEntries(0.1, 200, 11L);
        Run run = run("partial", "clicks", "fh_partial", null);

        Map<String, Integer> arrived = arrivals("firehose/clicks/");
        assertThat(FIREHOSE.server().failedEntries() - failedBefore)
                .as("injected failures")
                .isEqualTo(200);
        assertThat(arrived.keySet()).isEqualTo(run.produced);
        assertThat(arrived.values())
                .as("no duplicates without a restart: only failed entries are re-sent")
                .allMatch(n -> n == 1);
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM fh_partial.user_events"))
                .as("the staging output is still loaded exactly once")
                .isEqualTo(RECORDS);
    }

    @Test
    void aJobRestartWithFailingBatchesLosesNothingAndMayRepeatRecords() throws Exception {
        FIREHOSE.server().createDeliveryStream("restart", BUCKET, "firehose/restart/");
        long failedBefore = FIREHOSE.server().failedEntries();
        FIREHOSE.server().failEntries(0.05, 100, 13L);
        Run run = run("restart", "restart", "fh_restart", (long) RECORDS * 3 / 4);

        assertThat(FailOnceTransform.fired()).as("the injected job failure happened").isTrue();
        assertThat(FIREHOSE.server().failedEntries() - failedBefore)
                .as("injected failures")
                .isEqualTo(100);
        Map<String, Integer> arrived = arrivals("firehose/restart/");
        assertThat(arrived.keySet()).as("every record arrives").isEqualTo(run.produced);
        long duplicates = arrived.values().stream().mapToLong(n -> n - 1).sum();
        LOG.info(
                "Firehose output after a restart: {} records, {} duplicates, {} failed entries",
                RECORDS,
                duplicates,
                FIREHOSE.server().failedEntries() - failedBefore);
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM fh_restart.user_events"))
                .as("the staging output is still loaded exactly once")
                .isEqualTo(RECORDS);
    }

    /**
     * Two records of about 1,030,000 bytes (over Firehose's 1,000 KiB per record, under Kinesis's 1
     * MiB) among the others. Passes when the job keeps running, the delivery stream gets every
     * other record once and neither large one, each large one is in the staging output's {@code
     * errors/format-conversion-failed/} with code {@value FirehoseRecordSizeGate#RECORD_TOO_LARGE}
     * and its payload, and the table (the staging output) holds all records.
     */
    @Test
    void aRecordOverFirehosesLimitGoesToErrorsAndTheJobGoesOn() throws Exception {
        FIREHOSE.server().createDeliveryStream("large", BUCKET, "firehose/large/");
        List<ProducerRecord> large = new ArrayList<>();
        for (String id : List.of("large-1", "large-2")) {
            String json =
                    "{\"event_id\":\""
                            + id
                            + "\",\"event_type\":\"large\",\"padding\":\""
                            + "x".repeat(1_030_000)
                            + "\"}";
            large.add(ProducerRecord.of(id, json));
        }
        Run run = run("large", "large", "fh_large", null, large);

        Map<String, Integer> arrived = arrivals("firehose/large/");
        Set<String> small = new HashSet<>(run.produced);
        small.removeAll(Set.of("large-1", "large-2"));
        assertThat(arrived.keySet())
                .as("every record within the limit, none over it")
                .isEqualTo(small);
        assertThat(arrived.values()).allMatch(n -> n == 1);
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM fh_large.user_events"))
                .as("the staging output takes the large records too")
                .isEqualTo(RECORDS + 2);
        Map<String, ErrorEnvelope> errors = new HashMap<>();
        for (String key : S3.server().listKeys(BUCKET, "large/")) {
            if (!key.contains("errors/format-conversion-failed/") || key.contains("_tmp_")) {
                continue;
            }
            try (GZIPInputStream in =
                    new GZIPInputStream(new ByteArrayInputStream(S3.getObject(BUCKET, key)))) {
                for (String line :
                        new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    ErrorEnvelope e = ErrorEnvelope.fromJson(line.getBytes(StandardCharsets.UTF_8));
                    errors.put(e.partitionKey(), e);
                }
            }
        }
        assertThat(errors.keySet()).containsExactlyInAnyOrder("large-1", "large-2");
        for (ProducerRecord r : large) {
            ErrorEnvelope e = errors.get(r.partitionKey());
            assertThat(e.errorCode()).isEqualTo(FirehoseRecordSizeGate.RECORD_TOO_LARGE);
            assertThat(e.errorMessage())
                    .as("the size as sent: the bytes and the appended newline")
                    .isEqualTo(
                            "record has "
                                    + (r.data().length + 1)
                                    + " bytes as sent, more than Firehose's limit of"
                                    + " 1024000 per record; not sent to delivery stream large");
            assertThat(e.rawData()).isEqualTo(r.data());
        }
    }

    private record Run(Set<String> produced) {}

    private Run run(String name, String deliveryStream, String schema, Long failJobAt)
            throws Exception {
        return run(name, deliveryStream, schema, failJobAt, List.of());
    }

    /**
     * Runs the demo job with a FIREHOSE output {@code forward} until the table and the delivery
     * stream hold every event, then cancels it.
     *
     * @param failJobAt fail the job once after this many transformed records, or null
     */
    private Run run(
            String name,
            String deliveryStream,
            String schema,
            Long failJobAt,
            List<ProducerRecord> tooLargeForFirehose)
            throws Exception {
        String stream = "firehose-" + name;
        POSTGRES.execute("CREATE SCHEMA " + schema);
        POSTGRES.execute(DemoEvents.createTableSql(schema + ".user_events"));
        List<ProducerRecord> records = new ArrayList<>();
        Set<String> produced = new HashSet<>();
        DemoEvents events = new DemoEvents(RECORDS, name.hashCode());
        while (events.hasNext()) {
            DemoEvents.Event e = events.next();
            produced.add(e.eventId());
            records.add(new ProducerRecord(e.partitionKey(), e.json()));
        }
        Set<String> atFirehose = new HashSet<>(produced);
        for (ProducerRecord r : tooLargeForFirehose) {
            records.add(records.size() / 2, r);
            produced.add(r.partitionKey());
        }
        KINESIS.streams().createStream(stream, 2);

        Map<String, Properties> groups =
                demoJobConfig(stream, BUCKET, name + "/staging/", schema, CHECKPOINT_INTERVAL_MS);
        Properties forward = new Properties();
        forward.setProperty(OutputOptions.TYPE.key(), "FIREHOSE");
        forward.setProperty(FirehoseOutputOptions.DELIVERY_STREAM_NAME.key(), deliveryStream);
        forward.setProperty(FirehoseOutputOptions.REGION.key(), FIREHOSE.server().region());
        forward.setProperty(AWSConfigConstants.AWS_ENDPOINT, FIREHOSE.server().endpoint());
        forward.setProperty(AWSConfigConstants.AWS_CREDENTIALS_PROVIDER, "BASIC");
        forward.setProperty(AWSConfigConstants.AWS_ACCESS_KEY_ID, "test");
        forward.setProperty(AWSConfigConstants.AWS_SECRET_ACCESS_KEY, "test");
        // Small batches, sent soon: many requests, so failures land in many of them.
        forward.setProperty(FirehoseOutputOptions.MAX_BATCH_SIZE.key(), "50");
        forward.setProperty(FirehoseOutputOptions.MAX_TIME_IN_BUFFER_MS.key(), "200");
        groups.put(OutputOptions.GROUP_PREFIX + "forward", forward);
        if (failJobAt != null) {
            Properties transform = new Properties();
            transform.setProperty(TransformOptions.CHAIN.key(), "json,user");
            transform.setProperty(TransformOptions.CLASS.key(), FailOnceTransform.class.getName());
            transform.setProperty(TransformOptions.ON_EXCEPTION.key(), "FAIL_JOB");
            groups.put(TransformOptions.GROUP, transform);
            FailOnceTransform.arm(failJobAt);
        }
        SluiceConfig config = SluiceConfig.from(groups);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(SLOTS);
        env.enableCheckpointing(CHECKPOINT_INTERVAL_MS);
        SluicePipeline.build(env, config);
        JobClient job = env.executeAsync("firehose output " + name);
        String prefix = "firehose/" + deliveryStream + "/";
        try {
            assertThat(KINESIS.streams().producer().putAll(stream, records))
                    .isEqualTo(records.size());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (POSTGRES.queryLong("SELECT count(*) FROM " + schema + ".user_events")
                            < records.size()
                    || !arrivals(prefix).keySet().containsAll(atFirehose)) {
                assertThat(System.nanoTime())
                        .as("delivery before the deadline")
                        .isLessThan(deadline);
                assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState())
                        .isFalse();
                Thread.sleep(500);
            }
            // Two more checkpoints and batches: a duplicate, had there been one, would show now.
            Thread.sleep(3 * CHECKPOINT_INTERVAL_MS);
            assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        return new Run(produced);
    }

    /** event_id → how often it arrived, over every object the endpoint wrote under prefix. */
    private static Map<String, Integer> arrivals(String prefix) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (String key : S3.server().listKeys(BUCKET, prefix)) {
            String content = new String(S3.server().getObject(BUCKET, key), StandardCharsets.UTF_8);
            assertThat(content).as("records end with the appended newline").endsWith("\n");
            for (String line : content.split("\n")) {
                counts.merge(JSON.readTree(line).get("event_id").asText(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
