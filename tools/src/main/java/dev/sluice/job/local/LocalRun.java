package dev.sluice.job.local;

import dev.sluice.job.SluicePipeline;
import dev.sluice.job.config.ApplicationProperties;
import dev.sluice.job.config.CheckpointInterval;
import dev.sluice.job.config.EventTimeOptions;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.KinesaliteServer;
import dev.sluice.localstack.KinesisStreams;
import dev.sluice.localstack.PostgresServer;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.localstack.S3ProxyServer;
import dev.sluice.localstack.StackPropertyGroups;
import dev.sluice.operators.transform.TransformMetrics;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.PluginUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./sluice local}: starts the embedded stack (kinesalite, S3Proxy, PostgreSQL), produces
 * demo events (or the records of {@code --input FILE}), runs the job on a MiniCluster until every
 * record is accounted for, prints progress, and ends with one summary line:
 *
 * <pre>
 * SLUICE SUMMARY produced=&lt;n&gt; loaded=&lt;n&gt; distinct=&lt;n&gt; errors=&lt;n&gt; dropped=&lt;n&gt; accounted=&lt;yes|no&gt;
 * </pre>
 *
 * <p>{@code errors} counts records in the record-bearing error files (lines, not objects; rows
 * rejected at load time included; never the manifests and error documents of {@code load-failed/}),
 * {@code dropped} is the transform's {@code TransformDroppedRecords} metric read from the
 * MiniCluster's REST API; see {@link Summary}.
 *
 * <p>Everything it starts it stops again, by PID, also when interrupted.
 */
public final class LocalRun {

    static final String STREAM = "user-events";
    static final String BUCKET = "sluice-local";
    static final String PREFIX = "redshift-staging/user-events/";

    private final LocalRunOptions options;

    private LocalRun(LocalRunOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        LocalRunOptions options;
        try {
            options = LocalRunOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sluice local: " + e.getMessage());
            System.err.println(LocalRunOptions.USAGE);
            System.exit(2);
            return;
        }
        int exit = new LocalRun(options).run();
        System.exit(exit);
    }

    private int run() throws Exception {
        // kinesalite speaks JSON only; the connector's relocated SDK v1 must not use CBOR.
        System.setProperty("org.apache.flink.kinesis.shaded.com.amazonaws.sdk.disableCbor", "true");
        System.setProperty("aws.cborEnabled", "false");
        // Hadoop's S3A still uses AWS SDK v1, which prints a deprecation stack trace on load.
        System.setProperty("aws.java.v1.disableDeprecationAnnouncement", "true");

        Path workDir = options.workDir().toAbsolutePath();
        deleteRecursively(workDir);
        Files.createDirectories(workDir);
        long started = System.nanoTime();

        say("starting local stack in " + workDir);
        try (PostgresServer postgres = PostgresServer.start();
                S3ProxyServer s3 = S3ProxyServer.start(workDir.resolve("s3"));
                KinesaliteServer kinesis = KinesaliteServer.start(workDir.resolve("kinesis"))) {
            say(
                    "PostgreSQL "
                            + postgres.jdbcUrl()
                            + ", S3Proxy "
                            + s3.endpoint()
                            + ", kinesalite "
                            + kinesis.endpoint());

            s3.createBucket(BUCKET);
            postgres.execute(DemoEvents.createTableSql(DemoEvents.TABLE));
            int produced;
            try (KinesisStreams streams = KinesisStreams.connect(kinesis)) {
                streams.createStream(STREAM, options.shards());
                produced =
                        options.input() == null
                                ? produce(streams, options.records())
                                : produceInput(streams, options.input());
            }
            say(
                    String.format(
                            "produced %d records into %s (%d shards) in %.1fs",
                            produced, STREAM, options.shards(), seconds(started)));

            Map<String, Properties> groups =
                    StackPropertyGroups.builder(kinesis, s3, postgres).stream(STREAM)
                            .bucket(BUCKET)
                            .prefix(PREFIX)
                            .table(DemoEvents.TABLE)
                            .bufferingIntervalSeconds(
                                    CheckpointInterval.secondsOf(options.checkpointIntervalMs()))
                            .build();
            Properties eventTime = new Properties();
            eventTime.setProperty(EventTimeOptions.FIELD.key(), "event_timestamp");
            groups.put(EventTimeOptions.GROUP, eventTime);
            ApplicationProperties.write(groups, workDir.resolve("local-config.json"));
            SluiceConfig config = SluiceConfig.from(groups);

            Configuration flinkConf = LocalRunConfig.miniCluster(config);
            // A known REST port and a short fetch interval, to read TransformDroppedRecords.
            int restPort = freePort();
            flinkConf.set(RestOptions.BIND_PORT, Integer.toString(restPort));
            flinkConf.set(RestOptions.PORT, restPort);
            flinkConf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, 1_000L);
            JobMetrics metrics = new JobMetrics(URI.create("http://127.0.0.1:" + restPort));
            FileSystem.initialize(
                    flinkConf, PluginUtils.createPluginManagerFromRootFolder(flinkConf));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(
                            options.parallelism(), flinkConf);
            SluicePipeline.build(env, config);
            JobClient job = env.executeAsync("Sluice local: " + STREAM);
            say(
                    "job "
                            + job.getJobID()
                            + " running on a MiniCluster (parallelism "
                            + options.parallelism()
                            + ", checkpoints every "
                            + options.checkpointIntervalMs()
                            + " ms)");

            Counts counts = waitForLoads(postgres, s3, job, metrics, produced, started);
            // One more fetch interval, so the dropped count is the job's last word.
            Thread.sleep(2_000);
            long dropped = dropped(metrics, job);
            stop(job);
            long errors = errorLines(s3);
            Summary summary = new Summary(produced, counts.rows, counts.distinct, errors, dropped);
            System.out.println(summary.line());
            if (options.input() != null) {
                return summary.accountsForEveryRecord() && counts.job == null ? 0 : 1;
            }
            boolean exact = counts.rows == produced && counts.distinct == produced && errors == 0;
            return exact ? 0 : 1;
        }
    }

    private int produce(KinesisStreams streams, int records) {
        Iterator<DemoEvents.Event> events = new DemoEvents(records, 42L);
        Iterator<ProducerRecord> toSend =
                new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return events.hasNext();
                    }

                    @Override
                    public ProducerRecord next() {
                        DemoEvents.Event e = events.next();
                        return new ProducerRecord(e.partitionKey(), e.json());
                    }
                };
        return streams.producer().putAll(STREAM, toSend);
    }

    private int produceInput(KinesisStreams streams, Path input) {
        List<byte[]> lines = InputRecords.read(input);
        List<ProducerRecord> records = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            records.add(new ProducerRecord("line-" + (i + 1), lines.get(i)));
        }
        return streams.producer().putAll(STREAM, records);
    }

    private static long errorLines(S3ProxyServer s3) {
        return ErrorRecords.count(s3, BUCKET, PREFIX);
    }

    private Counts waitForLoads(
            PostgresServer postgres,
            S3ProxyServer s3,
            JobClient job,
            JobMetrics metrics,
            int produced,
            long started)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.timeoutSeconds());
        Counts counts = Counts.query(postgres);
        long lastPrint = 0;
        long accounted = -1;
        long lastChange = System.nanoTime();
        // With --input some records may be Dropped, which leave no trace: stop once nothing has
        // changed for a few checkpoints after the first row or error line appeared.
        long settle =
                TimeUnit.MILLISECONDS.toNanos(Math.max(5_000, 3 * options.checkpointIntervalMs()));
        while (System.nanoTime() < deadline) {
            JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
            if (status.isGloballyTerminalState()) {
                say("job ended early with status " + status);
                return counts.withJobStatus(status);
            }
            counts = Counts.query(postgres);
            long errors = errorLines(s3);
            long dropped = Math.max(0, dropped(metrics, job));
            if (counts.rows + errors + dropped != accounted) {
                accounted = counts.rows + errors + dropped;
                lastChange = System.nanoTime();
            }
            if (System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(2)) {
                say(
                        String.format(
                                "%5.1fs loaded %d/%d rows in %d loads, %d error records",
                                seconds(started), counts.rows, produced, counts.loads, errors));
                lastPrint = System.nanoTime();
            }
            boolean settled =
                    options.input() != null
                            && accounted > 0
                            && System.nanoTime() - lastChange > settle;
            if (accounted >= produced || settled) {
                // Give one more checkpoint the chance to show a duplicate, had there been one.
                Thread.sleep(options.checkpointIntervalMs() * 2);
                counts = Counts.query(postgres);
                say(
                        String.format(
                                "%5.1fs loaded %d/%d rows in %d loads, %d error records",
                                seconds(started),
                                counts.rows,
                                produced,
                                counts.loads,
                                errorLines(s3)));
                return counts;
            }
            Thread.sleep(500);
        }
        say("gave up waiting after " + options.timeoutSeconds() + "s");
        return counts;
    }

    /** {@code TransformDroppedRecords} of the job so far, or -1 if it cannot be read. */
    private static long dropped(JobMetrics metrics, JobClient job) {
        try {
            return metrics.sum(job.getJobID().toString(), TransformMetrics.DROPPED);
        } catch (java.io.IOException e) {
            say("cannot read " + TransformMetrics.DROPPED + ": " + e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void stop(JobClient job) {
        try {
            job.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            say("could not cancel the job cleanly: " + e.getMessage());
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static void say(String line) {
        System.out.println("[sluice] " + line);
        System.out.flush();
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** What PostgreSQL holds right now, and the job's status if it ended early. */
    private record Counts(long rows, long distinct, long loads, JobStatus job) {

        Counts withJobStatus(JobStatus status) {
            return new Counts(rows, distinct, loads, status);
        }

        static Counts query(PostgresServer postgres) throws Exception {
            List<String> table =
                    postgres.query(
                                    "SELECT count(*), count(DISTINCT event_id) FROM "
                                            + DemoEvents.TABLE)
                            .get(0);
            // The loader creates its ledger on the first load.
            boolean ledgerExists =
                    postgres.queryLong(
                                    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                                            + " AND tablename = 'sluice_load_ledger'")
                            > 0;
            long loads =
                    ledgerExists
                            ? postgres.queryLong("SELECT count(*) FROM public.sluice_load_ledger")
                            : 0;
            return new Counts(
                    Long.parseLong(table.get(0)), Long.parseLong(table.get(1)), loads, null);
        }
    }
}
