package dev.sluice.benchmarks;

import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.KinesisStreams;
import dev.sluice.localstack.ManagedProcess;
import dev.sluice.localstack.ProducerRecord;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import static dev.sluice.benchmarks.BenchmarkCli.intFlag;
import static dev.sluice.benchmarks.BenchmarkCli.say;
import static dev.sluice.benchmarks.BenchmarkCli.stringFlag;

/**
 * {@code ./sluice benchmark memory}: the job in a JVM of its own with a fixed heap ({@code --heap},
 * default {@value #DEFAULT_HEAP}, {@code -XX:+ExitOnOutOfMemoryError} so that an OOM ends the run
 * instead of restarting tasks, and an OOM is reported as such), through these scenarios on the
 * local stack:
 *
 * <ul>
 *   <li>{@code backlog}: {@code --records} events (default {@value #DEFAULT_RECORDS}; {@code
 *       --records 1000000} for the full run) put beforehand and read from TRIM_HORIZON into JSON
 *       staging and PostgreSQL, as fast as the job can.
 *   <li>{@code partitions-<n>}: {@code --partition-records} events over n users for each n of
 *       {@code --partitions} (default {@value #DEFAULT_PARTITIONS}), the staging output plus a
 *       Parquet output ({@code --parquet-compression}, default the output's own, SNAPPY)
 *       partitioned by {@code user_id} ({@code lake/user=!{partitionKeyFromQuery:user_id}/}), so
 *       that n Parquet files are open at once between two checkpoints. The same number of events
 *       for every n keeps the rows buffered in row groups the same, so a least-squares line through
 *       the live heaps (live heap ≈ base + n × slope) gives the heap per open Parquet partition
 *       that {@code partitions.max.open} is sized by. The probe forces its collections from the
 *       moment the JVM serves REST here, since the files are open before the first row is queryable
 *       and are closed by the checkpoint that makes the rows queryable.
 * </ul>
 *
 * <p>The job runs under {@link MemoryProbe}, which reports peak heap in use, GC count and time, and
 * the live heap (the most heap left after full collections it forces every two seconds between the
 * first row and the last: its own collections are left out of the GC figures). Peak RSS is the
 * kernel's {@code VmHWM} of the JVM. The probe's class histogram at the largest live heap is copied
 * next to the report ({@code memory-<time>-<scenario>.histo.txt}). Every scenario must deliver
 * every record as a row, or end in an OutOfMemoryError (reported as such); anything else fails the
 * benchmark.
 */
public final class MemoryBenchmark {

    static final String DEFAULT_HEAP = "512m";
    static final int DEFAULT_RECORDS = 100_000;
    static final String DEFAULT_PARTITIONS = "1,25,50,100,200";

    private MemoryBenchmark() {}

    public static void main(String[] args) throws Exception {
        int records = intFlag(args, "--records", DEFAULT_RECORDS);
        int partitionRecords = intFlag(args, "--partition-records", 20_000);
        List<Integer> partitionCounts = new ArrayList<>();
        for (String n : stringFlag(args, "--partitions", DEFAULT_PARTITIONS).split(",")) {
            partitionCounts.add(Integer.parseInt(n.trim()));
        }
        int shards = intFlag(args, "--shards", 4);
        int parallelism = intFlag(args, "--parallelism", 2);
        int checkpointMs = intFlag(args, "--checkpoint-interval-ms", 2000);
        int partitionCheckpointMs = intFlag(args, "--partition-checkpoint-interval-ms", 10_000);
        int timeoutS = intFlag(args, "--timeout-s", 900);
        String heap = stringFlag(args, "--heap", DEFAULT_HEAP);
        String only = stringFlag(args, "--only", "");
        String parquetCompression = stringFlag(args, "--parquet-compression", "");
        Path results =
                Path.of(stringFlag(args, "--results", "benchmarks/results")).toAbsolutePath();
        Path workDir =
                Path.of(stringFlag(args, "--work-dir", ".sluice/bench-memory")).toAbsolutePath();
        System.setProperty("aws.java.v1.disableDeprecationAnnouncement", "true");
        System.setProperty("aws.cborEnabled", "false");
        if (Files.exists(workDir)) {
            BenchmarkCli.deleteRecursively(workDir);
        }
        BenchmarkReport report = new BenchmarkReport("memory", args);
        Path schema = Path.of("conf", "user_events.avsc").toAbsolutePath();

        List<Scenario> scenarios = new ArrayList<>();
        scenarios.add(new Scenario("backlog", records, 0, checkpointMs));
        for (int partitions : partitionCounts) {
            scenarios.add(
                    new Scenario(
                            "partitions-" + partitions,
                            partitionRecords,
                            partitions,
                            partitionCheckpointMs));
        }

        List<Result> all = new ArrayList<>();
        try (LocalPipeline stack = new LocalPipeline(workDir);
                KinesisStreams streams = KinesisStreams.connect(stack.kinesis)) {
            for (Scenario scenario : scenarios) {
                if (!only.isEmpty() && !scenario.name.contains(only)) {
                    continue;
                }
                String stream = "memory-" + scenario.name;
                streams.createStream(stream, shards);
                int put = streams.producer().putAll(stream, events(scenario));
                if (put != scenario.records) {
                    throw new IllegalStateException("put " + put + " of " + scenario.records);
                }
                say(String.format(Locale.ROOT, "put %,d events for %s", put, scenario.name));

                String schemaName = scenario.name.replace('-', '_');
                String table = schemaName + ".user_events";
                stack.postgres.execute("CREATE SCHEMA " + schemaName);
                stack.postgres.execute(DemoEvents.createTableSql(table));
                Map<String, Map<String, String>> extra = new LinkedHashMap<>();
                if (scenario.partitions > 0) {
                    Map<String, String> lake = new LinkedHashMap<>();
                    lake.put(
                            "prefix",
                            scenario.name + "/lake/user=!{partitionKeyFromQuery:user_id}/");
                    lake.put("format", "PARQUET");
                    lake.put("parquet.schema.file", schema.toString());
                    lake.put("partitions.max.open", Integer.toString(scenario.partitions));
                    if (!parquetCompression.isEmpty()) {
                        lake.put("compression", parquetCompression);
                    }
                    extra.put("Output.lake", lake);
                }
                int port = LocalPipeline.freePort();
                Path config =
                        stack.sluiceConfig(
                                scenario.name,
                                stream,
                                "JSON",
                                table,
                                parallelism,
                                scenario.checkpointMs,
                                port,
                                extra);
                Path stats = workDir.resolve(scenario.name + ".stats");
                Result result =
                        run(stack, scenario, heap, port, config, stats, schemaName, timeoutS);
                long rows =
                        stack.postgres.queryLong("SELECT count(DISTINCT event_id) FROM " + table);
                if (!result.oom && rows != scenario.records) {
                    throw new IllegalStateException(
                            scenario.name + ": " + rows + " distinct rows of " + scenario.records);
                }
                all.add(result);
                Path histogram = Path.of(stats + ".histo");
                if (Files.exists(histogram)) {
                    result.histogram = Files.readString(histogram, StandardCharsets.UTF_8);
                }
                say(result.toString());
            }
        }

        List<String> table = new ArrayList<>();
        table.add(
                "| scenario | records | open Parquet partitions | all rows after | heap max | peak heap used "
                        + "| live heap (after forced full GCs) | GC count | GC time | GC time share | peak RSS | OOM |");
        table.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        ArrayNode rows = report.json().putArray("scenarios");
        for (Result r : all) {
            table.add(
                    String.format(
                            Locale.ROOT,
                            "| %s | %,d | %s | %s | %s | %s | %s | %,d | %,d ms | %.1f %% | %s | %s |",
                            r.scenario.name,
                            r.scenario.records,
                            r.scenario.partitions == 0
                                    ? "—"
                                    : String.format(Locale.ROOT, "%,d", r.scenario.partitions),
                            r.oom
                                    ? "— (OOM after " + Math.round(r.seconds) + " s)"
                                    : String.format(Locale.ROOT, "%.1f s", r.seconds),
                            mib(r.stat("heap_max_bytes")),
                            mib(r.stat("peak_heap_used_bytes")),
                            r.stat("forced_gc_count") > 0
                                    ? mib(r.stat("max_live_heap_bytes"))
                                    : "—",
                            r.stat("gc_count"),
                            r.stat("gc_time_ms"),
                            100.0 * r.stat("gc_time_ms") / (r.seconds * 1000),
                            r.oom ? "—" : mib(r.peakRssBytes),
                            r.oom ? "**yes**" : "none"));
            ObjectNode row = rows.addObject();
            row.put("name", r.scenario.name);
            row.put("records", r.scenario.records);
            row.put("open_parquet_partitions", r.scenario.partitions);
            row.put("checkpoint_interval_ms", r.scenario.checkpointMs);
            row.put("all_rows_after_s", r.seconds);
            r.stats.forEach((k, v) -> row.put(k, v));
            row.put("peak_rss_bytes", r.peakRssBytes);
            row.put("oom", r.oom);
        }
        List<Result> fitted =
                all.stream().filter(r -> r.scenario.partitions > 0 && !r.oom).toList();
        if (fitted.size() >= 2) {
            Line line = Line.fit(fitted);
            table.add("");
            table.add(
                    String.format(
                            Locale.ROOT,
                            "Live heap ≈ %.1f MiB + n × **%.0f KiB** per open Parquet partition"
                                    + " (least squares over n = %s; R² = %.3f).",
                            line.intercept / 1048576,
                            line.slope / 1024,
                            fitted.stream()
                                    .map(r -> Integer.toString(r.scenario.partitions))
                                    .collect(java.util.stream.Collectors.joining(", ")),
                            line.r2));
            report.json().put("heap_bytes_per_open_parquet_partition", line.slope);
            report.json().put("live_heap_base_bytes", line.intercept);
            report.json().put("fit_r2", line.r2);
        }
        ObjectNode setup = report.json().putObject("setup");
        setup.put("heap", "-Xmx" + heap);
        setup.put("shards", shards);
        setup.put("parallelism", parallelism);
        setup.put(
                "parquet_compression",
                parquetCompression.isEmpty() ? "SNAPPY (default)" : parquetCompression);
        List<String> notes =
                List.of(
                        String.format(
                                Locale.ROOT,
                                "Each scenario: the job (SluiceJob on a local MiniCluster, parallelism %d) in its own JVM"
                                        + " with -Xmx%s and -XX:+ExitOnOutOfMemoryError, reading a stream of %d kinesalite"
                                        + " shards filled beforehand from TRIM_HORIZON, until every record is a row in"
                                        + " PostgreSQL. OOM: none means the JVM lived to the end and every row arrived; yes, that it ended with an OutOfMemoryError (its figures are those up to then).",
                                parallelism,
                                heap,
                                shards),
                        "Peak heap used: sampled every 250 ms. Live heap: the most heap in use after the full"
                                + " collections the probe forces every 2 s between the first row (partition scenarios:"
                                + " the JVM's REST endpoint being up) and the last"
                                + " (their count and time are left out of the GC columns). GC: the JVM's collections,"
                                + " from GarbageCollectorMXBean notifications. Peak RSS: VmHWM of /proc/<pid>/status.",
                        "Partition scenarios: every user_id is its own partition and Kinesis partition key, so"
                                + " one writer subtask holds each partition; a Parquet output writes files per"
                                + " partition that roll on every checkpoint, so the partitions open at once are those"
                                + " that received records since the last one (checkpoints every "
                                + partitionCheckpointMs
                                + " ms there).");
        Path md = report.write(results, table, notes);
        String prefix = md.getFileName().toString().replaceFirst("\\.md$", "");
        for (Result r : all) {
            if (r.histogram != null) {
                Files.writeString(
                        md.resolveSibling(prefix + "-" + r.scenario.name + ".histo.txt"),
                        r.histogram,
                        StandardCharsets.UTF_8);
            }
        }
        System.out.println();
        table.forEach(System.out::println);
        say("wrote " + md + " and its .json");
    }

    /** A least-squares line through (open partitions, live heap). */
    private record Line(double slope, double intercept, double r2) {
        static Line fit(List<Result> results) {
            int n = results.size();
            double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
            for (Result r : results) {
                double x = r.scenario.partitions;
                double y = r.stat("max_live_heap_bytes");
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
                syy += y * y;
            }
            double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
            double intercept = (sy - slope * sx) / n;
            double r = (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
            return new Line(slope, intercept, r * r);
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    /** The demo events, with {@code user_id} (and the Kinesis partition key) over n users. */
    private static List<ProducerRecord> events(Scenario scenario) {
        List<ProducerRecord> batch = new ArrayList<>(scenario.records);
        DemoEvents demo = new DemoEvents(scenario.records, 7L);
        for (int i = 0; demo.hasNext(); i++) {
            DemoEvents.Event e = demo.next();
            if (scenario.partitions == 0) {
                batch.add(new ProducerRecord(e.partitionKey(), e.json()));
            } else {
                String user = "user-" + (i % scenario.partitions);
                String json =
                        new String(e.json(), StandardCharsets.UTF_8)
                                .replace(
                                        "\"user_id\":\"" + e.partitionKey() + "\"",
                                        "\"user_id\":\"" + user + "\"");
                batch.add(new ProducerRecord(user, json.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return batch;
    }

    private static Result run(
            LocalPipeline stack,
            Scenario scenario,
            String heap,
            int port,
            Path config,
            Path stats,
            String schemaName,
            int timeoutS)
            throws Exception {
        say("running " + scenario.name + " (load average " + BenchmarkReport.loadAverage() + ")");
        Path trigger = Path.of(stats + ".gc");
        boolean fromStart = scenario.partitions > 0;
        long t0 = System.nanoTime();
        Result r = new Result(scenario);
        try (Connection connection = stack.postgres.connect();
                ManagedProcess process =
                        stack.fork(
                                scenario.name,
                                port,
                                List.of("-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError"),
                                MemoryProbe.class.getName(),
                                stats.toString(),
                                "dev.sluice.job.SluiceJob",
                                "--config",
                                config.toString())) {
            if (fromStart) {
                // Once the JVM serves REST, before the job reads: forcing collections during the
                // start-up itself only slows it (under load, past the fork's start-up timeout).
                Files.createFile(trigger);
            }
            long deadline = t0 + timeoutS * 1_000_000_000L;
            while (true) {
                if (!process.isAlive()) {
                    String tail = process.logTail();
                    if (!tail.contains("OutOfMemoryError")) {
                        throw new IllegalStateException(
                                scenario.name + " exited; log " + process.logFile() + "\n" + tail);
                    }
                    // -XX:+ExitOnOutOfMemoryError: the heap did not hold this scenario.
                    r.oom = true;
                    r.seconds = (System.nanoTime() - t0) / 1e9;
                    r.stats = read(stats);
                    break;
                }
                long n = LocalPipeline.ledgerRows(connection, schemaName);
                // Rows arrive a checkpoint's worth at a time, so a narrow window can be missed
                // between two polls: force collections from the first row (or, with Parquet
                // partitions, from the start) to the last.
                if ((fromStart || n > 0) && n < scenario.records) {
                    if (!Files.exists(trigger)) {
                        Files.createFile(trigger);
                    }
                } else {
                    Files.deleteIfExists(trigger);
                }
                long now = System.nanoTime();
                if (n >= scenario.records) {
                    r.seconds = (now - t0) / 1e9;
                    Thread.sleep(500); // one more write of the stats
                    r.stats = read(stats);
                    r.peakRssBytes = peakRss(process.pid());
                    break;
                }
                if (now > deadline) {
                    throw new IllegalStateException(
                            scenario.name + ": only " + n + " rows after " + timeoutS + " s");
                }
                Thread.sleep(100);
            }
        }
        return r;
    }

    private static Map<String, Long> read(Path stats) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(stats, StandardCharsets.UTF_8)));
        Map<String, Long> out = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames().stream().sorted().toList()) {
            out.put(key, Long.parseLong(p.getProperty(key)));
        }
        return out;
    }

    /** The process's peak resident set size: VmHWM in /proc/<pid>/status, in bytes. */
    static long peakRss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private record Scenario(String name, int records, int partitions, int checkpointMs) {}

    private static final class Result {
        final Scenario scenario;
        double seconds;
        Map<String, Long> stats = Map.of();
        long peakRssBytes;
        boolean oom;
        String histogram;

        Result(Scenario scenario) {
            this.scenario = scenario;
        }

        long stat(String key) {
            return stats.getOrDefault(key, -1L);
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%s: %s %,d rows after %.1f s; %s; peak RSS %s",
                    scenario.name,
                    oom ? "OutOfMemoryError before" : "all",
                    scenario.records,
                    seconds,
                    stats,
                    mib(peakRssBytes));
        }
    }
}
