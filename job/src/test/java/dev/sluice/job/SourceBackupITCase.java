package dev.sluice.job;

import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.StagingOptions;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.sinks.s3.BackupMode;
import dev.sluice.sinks.s3.SourceBackup;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Source-record backup on the real stack: with {@code ALL} the backup prefix holds every record
 * read from Kinesis exactly once, byte for byte; with {@code FAILED_ONLY} exactly the records that
 * did not reach the table. The stream mixes good events with lines that are not JSON.
 */
class SourceBackupITCase extends LocalStackTestBase {

    private static final int GOOD = 500;
    private static final int NOT_JSON = 80;
    private static final long CHECKPOINT_INTERVAL_MS = 1_000L;
    private static final String BUCKET = "sluice-backup-it";
    private static final long TIMEOUT_SECONDS = 120;

    @BeforeAll
    static void createBucket() {
        S3.createBucket(BUCKET);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = BackupMode.class,
            names = {"ALL", "FAILED_ONLY"})
    void theBackupHoldsExactlyTheRecordsItsModeNamesOnceEach(BackupMode mode) throws Exception {
        String name = mode.name().toLowerCase(Locale.ROOT);
        String stream = "backup-" + name.replace('_', '-');
        String prefix = "backup-" + name + "/";
        String schema = "backup_" + name;
        String table = schema + ".user_events";
        POSTGRES.execute("CREATE SCHEMA " + schema);
        POSTGRES.execute(DemoEvents.createTableSql(table));

        List<ProducerRecord> good = new ArrayList<>();
        DemoEvents events = new DemoEvents(GOOD, 11L);
        while (events.hasNext()) {
            DemoEvents.Event e = events.next();
            good.add(new ProducerRecord(e.partitionKey(), e.json()));
        }
        List<ProducerRecord> failing = new ArrayList<>();
        for (int i = 0; i < NOT_JSON; i++) {
            failing.add(ProducerRecord.of("p" + i, "not json " + i + " (" + name + ")"));
        }
        List<ProducerRecord> all = new ArrayList<>(good);
        all.addAll(failing);
        Collections.shuffle(all, new Random(5));
        KINESIS.streams().createStream(stream, 2);
        assertThat(KINESIS.streams().producer().putAll(stream, all)).isEqualTo(all.size());

        Map<String, Properties> groups =
                demoJobConfig(stream, BUCKET, prefix, schema, CHECKPOINT_INTERVAL_MS);
        groups.get(StagingOptions.GROUP).setProperty(StagingOptions.BACKUP_MODE.key(), mode.name());
        SluiceConfig config = SluiceConfig.from(groups);

        List<ProducerRecord> expected = mode == BackupMode.ALL ? all : failing;
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(SLOTS);
        env.enableCheckpointing(CHECKPOINT_INTERVAL_MS);
        SluicePipeline.build(env, config);
        JobClient job = env.executeAsync("backup " + name);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (POSTGRES.queryLong("SELECT count(*) FROM " + table) < GOOD
                    || backupLines(prefix).size() < expected.size()) {
                assertThat(System.nanoTime())
                        .as("delivery before the deadline")
                        .isLessThan(deadline);
                assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState())
                        .isFalse();
                Thread.sleep(250);
            }
            // Two more checkpoints: a duplicate backup line, had there been one, would show now.
            Thread.sleep(3 * CHECKPOINT_INTERVAL_MS);
            assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }

        assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + table)).isEqualTo(GOOD);
        assertThat(countsOf(backupLines(prefix))).isEqualTo(countsOf(payloads(expected)));
    }

    private static List<byte[]> payloads(List<ProducerRecord> records) {
        List<byte[]> out = new ArrayList<>();
        records.forEach(r -> out.add(r.data()));
        return out;
    }

    private static Map<ByteBuffer, Integer> countsOf(List<byte[]> payloads) {
        Map<ByteBuffer, Integer> counts = new HashMap<>();
        payloads.forEach(p -> counts.merge(ByteBuffer.wrap(p), 1, Integer::sum));
        return counts;
    }

    /** The original bytes of every backup line under the prefix. */
    private static List<byte[]> backupLines(String prefix) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String key : S3.listKeys(BUCKET, SourceBackup.prefix(prefix))) {
            try (InputStream in =
                    new GZIPInputStream(new ByteArrayInputStream(S3.getObject(BUCKET, key)))) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    if (!line.isEmpty()) {
                        out.add(SourceBackup.rawData(line.getBytes(StandardCharsets.UTF_8)));
                    }
                }
            }
        }
        return out;
    }
}
