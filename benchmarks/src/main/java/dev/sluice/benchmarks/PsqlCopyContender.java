package dev.sluice.benchmarks;

import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.PostgresServer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code psql \copy} of the same rows as CSV, one file after another: the fastest thing a person
 * would do by hand, and the ceiling for a single COPY stream.
 */
final class PsqlCopyContender implements Contender {

    private final PostgresServer postgres;
    private final String table;

    PsqlCopyContender(PostgresServer postgres, String table) {
        this.postgres = postgres;
        this.table = table;
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("psql", "--version").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return "psql \\copy (CSV)";
    }

    @Override
    public String notes() {
        return "uncompressed CSV of the same rows, one psql process per file, sequential";
    }

    @Override
    public void run(BenchmarkData data) throws Exception {
        for (Path csv : data.csvFiles) {
            String copy =
                    "\\copy "
                            + table
                            + " ("
                            + DemoEvents.COLUMNS
                            + ") FROM '"
                            + csv.toAbsolutePath()
                            + "' WITH (FORMAT csv)";
            ProcessBuilder builder =
                    new ProcessBuilder(
                                    List.of(
                                            "psql",
                                            "-X",
                                            "-q",
                                            "-v",
                                            "ON_ERROR_STOP=1",
                                            "-h",
                                            "127.0.0.1",
                                            "-p",
                                            Integer.toString(postgres.port()),
                                            "-U",
                                            postgres.user(),
                                            "-d",
                                            "postgres",
                                            "-c",
                                            copy))
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("PGPASSWORD", postgres.password());
            Process process = builder.start();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("psql \\copy failed for " + csv);
            }
        }
    }
}
