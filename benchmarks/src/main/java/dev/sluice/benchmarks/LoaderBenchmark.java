package dev.sluice.benchmarks;

import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.PostgresServer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.sluice.benchmarks.BenchmarkCli.deleteRecursively;
import static dev.sluice.benchmarks.BenchmarkCli.intFlag;
import static dev.sluice.benchmarks.BenchmarkCli.say;
import static dev.sluice.benchmarks.BenchmarkCli.stringFlag;

/**
 * {@code ./sluice benchmark loader}: how fast staged rows reach PostgreSQL through Sluice's loader,
 * next to {@code psql \copy} and Flink's {@code JdbcSink}, on the same rows in one run.
 *
 * <p>Each contender loads all rows into an emptied table, {@code --rounds} times; the table prints
 * the median. Every round checks the row count afterwards, so a fast but wrong contender fails the
 * run instead of winning it. Rows are the local run's click events (about 230 bytes of JSON).
 */
public final class LoaderBenchmark {

    private static final String TABLE = "public.bench_events";

    private LoaderBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rows = intFlag(args, "--rows", 1_000_000);
        int files = intFlag(args, "--files", 8);
        int rounds = intFlag(args, "--rounds", 3);
        int parallelism = intFlag(args, "--parallelism", 2);
        Path workDir = Path.of(stringFlag(args, "--work-dir", ".sluice/bench")).toAbsolutePath();
        Path results =
                Path.of(stringFlag(args, "--results", "benchmarks/results")).toAbsolutePath();
        BenchmarkReport report = new BenchmarkReport("loader", args);
        System.setProperty("aws.java.v1.disableDeprecationAnnouncement", "true");

        say(
                String.format(
                        "writing %,d rows into %d GZIP JSON-lines and %d CSV files under %s",
                        rows, files, files, workDir));
        BenchmarkData data = BenchmarkData.write(workDir.resolve("data"), rows, files);

        try (PostgresServer postgres = PostgresServer.start()) {
            postgres.execute(DemoEvents.createTableSql(TABLE));
            List<Contender> contenders = new ArrayList<>();
            contenders.add(
                    new SluiceLoaderContender(
                            postgres, TABLE, workDir.resolve("manifests"), false));
            contenders.add(
                    new SluiceLoaderContender(postgres, TABLE, workDir.resolve("manifests"), true));
            if (PsqlCopyContender.available()) {
                contenders.add(new PsqlCopyContender(postgres, TABLE));
            } else {
                say("psql not found (Debian: apt-get install postgresql-client); skipping it");
            }
            contenders.add(new JdbcSinkContender(postgres, TABLE, parallelism));

            List<String> lines = new ArrayList<>();
            lines.add("| contender | rows/s (median of " + rounds + ") | MB/s of JSON | notes |");
            lines.add("|---|---:|---:|---|");
            for (Contender contender : contenders) {
                List<Double> seconds = new ArrayList<>();
                for (int r = 1; r <= rounds; r++) {
                    postgres.execute("TRUNCATE " + TABLE);
                    long start = System.nanoTime();
                    contender.run(data);
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    if (contender instanceof JdbcSinkContender) {
                        elapsed = ((JdbcSinkContender) contender).netRuntimeMillis() / 1e3;
                    }
                    long loaded = postgres.queryLong("SELECT count(*) FROM " + TABLE);
                    if (loaded != data.rows) {
                        throw new IllegalStateException(
                                contender.name() + " loaded " + loaded + " of " + data.rows);
                    }
                    say(
                            String.format(
                                    Locale.ROOT,
                                    "%s round %d: %.2f s, %,.0f rows/s",
                                    contender.name(),
                                    r,
                                    elapsed,
                                    data.rows / elapsed));
                    seconds.add(elapsed);
                }
                report.addRounds(contender.name(), seconds, data.rows, data.jsonBytes);
                double median = BenchmarkReport.median(seconds);
                lines.add(
                        String.format(
                                Locale.ROOT,
                                "| %s | %,.0f | %.1f | %s |",
                                contender.name(),
                                data.rows / median,
                                data.jsonBytes / median / 1e6,
                                contender.notes()));
            }
            System.out.println();
            System.out.printf(
                    "%,d rows, %d files, %d cores, Java %s%n",
                    rows,
                    files,
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            lines.forEach(System.out::println);
            ObjectNode setup = report.json().putObject("setup");
            setup.put("rows", rows);
            setup.put("files", files);
            setup.put("rounds", rounds);
            setup.put("parallelism", parallelism);
            Path md =
                    report.write(
                            results,
                            lines,
                            List.of(
                                    String.format(
                                            Locale.ROOT,
                                            "%,d click events staged as %d GZIP JSON-lines files and as CSV, each"
                                                    + " contender loading them into the same PostgreSQL table %d times (emptied before"
                                                    + " each round); the median round; every round must load every"
                                                    + " row.",
                                            rows,
                                            files,
                                            rounds)));
            say("wrote " + md + " and its .json");
        }
        deleteRecursively(workDir);
    }
}
