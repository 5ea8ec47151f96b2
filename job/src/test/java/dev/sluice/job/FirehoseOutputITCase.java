package dev.sluice.job;

import dev.sluice.job.config.FirehoseOutputOptions;
import dev.sluice.job.config.OutputOptions;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.TransformOptions;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.FirehoseEndpointExtension;
import dev.sluice.localstack.FirehoseServer;
import dev.sluice.localstack.ProducerRecord;

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

    private record Run(Set<String> produced) {}

    /**
     * Runs the demo job with a FIREHOSE output {@code forward} until the table and the delivery
     * stream hold every event, then cancels it.
     *
     * @param failJobAt fail the job once after this many transformed records, or null
     */
    private Run run(String name, String deliveryStream, String schema, Long failJobAt)
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
            assertThat(KINESIS.streams().producer().putAll(stream, records)).isEqualTo(RECORDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (POSTGRES.queryLong("SELECT count(*) FROM " + schema + ".user_events") < RECORDS
                    || !arrivals(prefix).keySet().containsAll(produced)) {
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
