package dev.sluice.benchmarks;

import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.KinesisStreams;
import dev.sluice.localstack.ManagedProcess;
import dev.sluice.localstack.ProducerRecord;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static dev.sluice.benchmarks.BenchmarkCli.intFlag;
import static dev.sluice.benchmarks.BenchmarkCli.say;
import static dev.sluice.benchmarks.BenchmarkCli.stringFlag;

/**
 * {@code ./sluice benchmark freshness}: how long an event takes from its put into Kinesis to a
 * queryable row in PostgreSQL, under a steady producer, for each rate and checkpoint interval.
 *
 * <p>Each combination gets its own stream, table and Sluice JVM (JSON + GZIP staging). Once the job
 * runs, a producer puts {@code rate/10} events every 100 ms for {@code --duration-s}, each stamped
 * with the time just before its PutRecords call in {@code event_timestamp}; the table's {@code
 * loaded_at} column defaults to {@code clock_timestamp()}, the moment PostgreSQL writes the row
 * inside the load's transaction, which commits right after the COPY. Freshness is {@code loaded_at
 * - event_timestamp}, over the events after the first 5 s of production.
 */
public final class FreshnessBenchmark {

    private static final int WARM_UP_S = 5;

    private FreshnessBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<Integer> rates = ints(stringFlag(args, "--rates", "5000,20000"));
        List<Integer> intervals = ints(stringFlag(args, "--checkpoint-intervals-ms", "1000,2000"));
        int durationS = intFlag(args, "--duration-s", 30);
        int shards = intFlag(args, "--shards", 4);
        int parallelism = intFlag(args, "--parallelism", 2);
        Path results =
                Path.of(stringFlag(args, "--results", "benchmarks/results")).toAbsolutePath();
        Path workDir =
                Path.of(stringFlag(args, "--work-dir", ".sluice/bench-freshness")).toAbsolutePath();
        System.setProperty("aws.java.v1.disableDeprecationAnnouncement", "true");
        System.setProperty("aws.cborEnabled", "false");
        if (Files.exists(workDir)) {
            BenchmarkCli.deleteRecursively(workDir);
        }
        BenchmarkReport report = new BenchmarkReport("freshness", args);
        List<String> table = new ArrayList<>();
        table.add(
                "| target rate/s | put rate achieved/s | checkpoint interval | events | p50 | p95 | p99 | max "
                        + "| p99 ≤ interval + 1 s | p99 < 2 × (interval + 1 s) | load avg (1 min) |");
        table.add("|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|");
        ArrayNode runs = report.json().putArray("runs");

        try (LocalPipeline stack = new LocalPipeline(workDir);
                KinesisStreams streams = KinesisStreams.connect(stack.kinesis)) {
            for (int interval : intervals) {
                for (int rate : rates) {
                    String name = "fresh-" + rate + "-" + interval;
                    String schema = name.replace('-', '_');
                    String tableName = schema + ".user_events";
                    streams.createStream(name, shards);
                    stack.postgres.execute("CREATE SCHEMA " + schema);
                    stack.postgres.execute(
                            DemoEvents.createTableSql(tableName)
                                    .replace(
                                            "loaded_at TIMESTAMP DEFAULT now()",
                                            "loaded_at TIMESTAMP DEFAULT (clock_timestamp() AT TIME ZONE 'UTC')"));
                    int port = LocalPipeline.freePort();
                    Path config =
                            stack.sluiceConfig(
                                    name,
                                    name,
                                    "JSON",
                                    tableName,
                                    parallelism,
                                    interval,
                                    port,
                                    Map.of());
                    String load = BenchmarkReport.loadAverage();
                    say("running " + name + " (load average " + load + ")");
                    long produced;
                    double achieved;
                    Instant productionStart;
                    try (ManagedProcess job =
                                    stack.fork(
                                            name,
                                            port,
                                            List.of(),
                                            "dev.sluice.job.SluiceJob",
                                            "--config",
                                            config.toString());
                            Connection connection = stack.postgres.connect()) {
                        // One record first, so production starts against a job that runs and loads.
                        streams.producer()
                                .putAll(name, List.of(event(new Random(1), Instant.now())));
                        waitFor(() -> LocalPipeline.ledgerRows(connection, schema) >= 1, 120, job);
                        Random random = new Random(rate);
                        productionStart = Instant.now();
                        long start = System.nanoTime();
                        long tick = 0;
                        produced = 0;
                        int perTick = rate / 10;
                        while (System.nanoTime() - start < durationS * 1_000_000_000L) {
                            List<ProducerRecord> batch = new ArrayList<>(perTick);
                            Instant now = Instant.now();
                            for (int i = 0; i < perTick; i++) {
                                batch.add(event(random, now));
                            }
                            produced += streams.producer().putAll(name, batch);
                            tick++;
                            long next = start + tick * 100_000_000L;
                            long sleep = next - System.nanoTime();
                            if (sleep > 0) {
                                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                            }
                        }
                        achieved = produced / ((System.nanoTime() - start) / 1e9);
                        long expected = produced + 1;
                        waitFor(
                                () -> LocalPipeline.ledgerRows(connection, schema) >= expected,
                                300,
                                job);
                    }
                    List<List<String>> q =
                            stack.postgres.query(
                                    "SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY f),"
                                            + " percentile_cont(0.95) WITHIN GROUP (ORDER BY f),"
                                            + " percentile_cont(0.99) WITHIN GROUP (ORDER BY f), max(f) FROM"
                                            + " (SELECT extract(epoch FROM loaded_at - event_timestamp) AS f FROM "
                                            + tableName
                                            + " WHERE event_timestamp >= timestamp '"
                                            + productionStart.plusSeconds(WARM_UP_S + 1)
                                            + "') t");
                    List<String> row = q.get(0);
                    long n = Long.parseLong(row.get(0));
                    double p50 = Double.parseDouble(row.get(1));
                    double p95 = Double.parseDouble(row.get(2));
                    double p99 = Double.parseDouble(row.get(3));
                    double max = Double.parseDouble(row.get(4));
                    double target = interval / 1000.0 + 1;
                    String line =
                            String.format(
                                    Locale.ROOT,
                                    "| %,d | %,.0f | %d s | %,d | %.2f s | %.2f s | %.2f s | %.2f s | %s | %s | %s |",
                                    rate,
                                    achieved,
                                    interval / 1000,
                                    n,
                                    p50,
                                    p95,
                                    p99,
                                    max,
                                    p99 <= target ? "yes" : "no",
                                    p99 < 2 * target ? "yes" : "no",
                                    load);
                    table.add(line);
                    say(line);
                    ObjectNode r = runs.addObject();
                    r.put("target_rate", rate);
                    r.put("achieved_put_rate", achieved);
                    r.put("checkpoint_interval_ms", interval);
                    r.put("events_measured", n);
                    r.put("p50_s", p50);
                    r.put("p95_s", p95);
                    r.put("p99_s", p99);
                    r.put("max_s", max);
                    r.put("load_average_1m_at_start", load);
                }
            }
        }
        ObjectNode setup = report.json().putObject("setup");
        setup.put("duration_s", durationS);
        setup.put("shards", shards);
        setup.put("parallelism", parallelism);
        setup.put("warm_up_excluded_s", WARM_UP_S + 1);
        List<String> notes =
                List.of(
                        String.format(
                                Locale.ROOT,
                                "Each run: a new %d-shard kinesalite stream, Sluice (JSON + GZIP, parallelism %d) in"
                                        + " its own JVM (%s), a producer putting rate/10 events every 100 ms for %d s.",
                                shards,
                                parallelism,
                                LocalPipeline.HEAP,
                                durationS),
                        "Freshness = loaded_at (clock_timestamp() as PostgreSQL writes the row, inside the load's transaction)"
                                + " − event_timestamp (stamped just before the PutRecords call); events of the first "
                                + (WARM_UP_S + 1)
                                + " s are left out.",
                        "If the achieved put rate is below the target, kinesalite (or the machine) could not take more: the"
                                + " row measures the rate achieved, not the target.");
        Path md = report.write(results, table, notes);
        System.out.println();
        table.forEach(System.out::println);
        say("wrote " + md + " and its .json");
    }

    private static ProducerRecord event(Random random, Instant putTime) {
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        String user = "user-" + random.nextInt(10_000);
        String json =
                "{\"event_id\":\""
                        + id
                        + "\",\"user_id\":\""
                        + user
                        + "\",\"event_type\":\"click\",\"page_url\":\"https://shop.example.com/products/"
                        + random.nextInt(100)
                        + "\",\"event_timestamp\":\""
                        + putTime
                        + "\",\"user_agent\":\"Mozilla/5.0 (X11; Linux x86_64)\"}";
        return new ProducerRecord(user, json.getBytes(StandardCharsets.UTF_8));
    }

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition, int timeoutS, ManagedProcess job)
            throws Exception {
        long deadline = System.nanoTime() + timeoutS * 1_000_000_000L;
        while (!condition.holds()) {
            if (!job.isAlive()) {
                throw new IllegalStateException(
                        job.name() + " exited; log " + job.logFile() + "\n" + job.logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        job.name() + ": timed out after " + timeoutS + " s; log " + job.logFile());
            }
            Thread.sleep(100);
        }
    }

    private static List<Integer> ints(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }
}
