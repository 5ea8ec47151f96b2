package dev.sluice.job.cli;

import dev.sluice.job.config.SluiceConfig;
import dev.sluice.sinks.s3.format.Compression;
import dev.sluice.sinks.s3.format.FileFormat;
import dev.sluice.sinks.s3.format.OutputFormat;
import dev.sluice.sinks.s3.format.StagedRow;
import dev.sluice.sinks.warehouse.CopyTarget;
import dev.sluice.sinks.warehouse.LedgerOptions;
import dev.sluice.sinks.warehouse.LoadErrorDetail;
import dev.sluice.sinks.warehouse.LoadMetadata;
import dev.sluice.sinks.warehouse.LoadRejectedException;
import dev.sluice.sinks.warehouse.LoadResult;
import dev.sluice.sinks.warehouse.LoadStep;
import dev.sluice.sinks.warehouse.SqlIdentifiers;
import dev.sluice.sinks.warehouse.StagedFile;
import dev.sluice.sinks.warehouse.WarehouseDialect;
import dev.sluice.sinks.warehouse.WarehouseLoader;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import javax.annotation.Nullable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * {@code ./sluice check --warehouse-selftest}: runs the load protocol once against the configured
 * warehouse, with the job's own classes, in a scratch schema and under a scratch prefix of the
 * staging bucket, never touching the target table or the job's ledger.
 *
 * <p>For each staging format the dialect can load (JSON lines and CSV; Parquet on Redshift only) it
 * creates a small table, stages three rows with the job's own encoder and writer ({@link
 * FileFormat#encoder()}, {@link FileFormat#writerFactory()}) under object keys holding a space,
 * {@code =}, {@code %} and non-ASCII characters, and loads them with {@link WarehouseLoader} — the
 * manifest, the lock, the COPY with the configured {@code copy.options} (for the configured format;
 * the format's defaults for the others), the ledger and the commit — printing one line per {@link
 * LoadStep}. It then reads the rows back (a NULL and an empty string must stay apart), loads the
 * same files again (the ledger must skip them), and loads a file with one row the table must
 * reject: on {@code postgres} the row is isolated and written to {@code errors/load-rejected/}; on
 * {@code redshift} the COPY fails and the loader reads the reason back from the load error tables.
 * Last it drops what it created and deletes what it staged.
 *
 * <p>Every line is {@code ok …} or {@code FAIL self-test <format> <step>: <the warehouse's own
 * message>}; a failed step ends that format's run.
 */
final class WarehouseSelfTest {

    /** The scratch tables' columns; {@code label} is short so that one row can be too long. */
    static final List<String> COLUMNS = List.of("id", "label", "note");

    static final int LABEL_LENGTH = 40;

    static final String AVRO_SCHEMA =
            "{\"type\":\"record\",\"name\":\"sluice_selftest\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"int\"},"
                    + "{\"name\":\"label\",\"type\":\"string\"},"
                    + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}";

    /** Three rows: plain, non-ASCII with a NULL, and an empty string that must not become NULL. */
    static final List<String[]> ROWS =
            List.of(
                    new String[] {"1", "plain", "x"},
                    new String[] {"2", "caf\u00e9 \u00fcml\u00e4ut \u2713", null},
                    new String[] {"3", "empty note", ""});

    /**
     * Where staged objects go below the scratch prefix: a space, {@code =}, {@code %}, non-ASCII.
     */
    static final String AWKWARD_DIRECTORY = "dt=2026-01-01 00%3A00/r\u00e9sum\u00e9 \u6587/";

    private final SluiceConfig config;
    @Nullable private final String givenSchema;
    private final Consumer<String> out;
    private final String run;

    WarehouseSelfTest(SluiceConfig config, @Nullable String scratchSchema, Consumer<String> out) {
        this.config = Objects.requireNonNull(config, "config");
        this.givenSchema = scratchSchema;
        this.out = Objects.requireNonNull(out, "out");
        this.run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** Runs every step; true when all passed. */
    boolean run() {
        WarehouseDialect dialect = config.loader().target().dialect();
        String schema =
                givenSchema != null
                        ? SqlIdentifiers.identifier("scratch schema", givenSchema)
                        : "sluice_selftest_" + run;
        String prefix = config.staging().rootUri() + "sluice-selftest/" + run + "/";
        List<String> createdTables = new ArrayList<>();
        boolean passed = true;
        try {
            if (!createSchema(schema)) {
                return false;
            }
            for (OutputFormat format : OutputFormat.values()) {
                if (format == OutputFormat.PARQUET && dialect == WarehouseDialect.POSTGRES) {
                    out.accept("skipped parquet: the postgres dialect cannot load Parquet");
                    continue;
                }
                passed &= new FormatRun(format, schema, prefix, createdTables).run();
            }
        } finally {
            passed &= cleanUp(schema, createdTables, prefix);
        }
        out.accept(passed ? "ok self-test passed" : "FAIL self-test: see the lines above");
        return passed;
    }

    private boolean createSchema(String schema) {
        if (givenSchema != null) {
            out.accept("ok scratch schema " + schema + " (given)");
            return true;
        }
        try (Connection connection = config.loader().connectionProvider().open();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + SqlIdentifiers.quote(schema));
            out.accept("ok scratch schema " + schema + " created");
            return true;
        } catch (SQLException e) {
            fail("scratch schema", e);
            return false;
        }
    }

    /** One staging format's load, read-back, repeat and rejected row. */
    private final class FormatRun {
        final OutputFormat format;
        final String name;
        final String schema;
        final String prefix;
        final List<String> createdTables;
        final FileFormat staging;
        final WarehouseLoader loader;
        final String table;

        FormatRun(OutputFormat format, String schema, String prefix, List<String> createdTables) {
            this.format = format;
            this.name = format.name().toLowerCase(java.util.Locale.ROOT);
            this.schema = schema;
            this.prefix = prefix + name + "/";
            this.createdTables = createdTables;
            FileFormat configured = config.staging().format();
            Compression compression =
                    configured.format() == format
                            ? configured.compression()
                            : format.defaultCompression();
            this.staging =
                    switch (format) {
                        case JSON -> FileFormat.json(compression);
                        case CSV -> FileFormat.csv(COLUMNS, compression);
                        case PARQUET -> FileFormat.parquet(AVRO_SCHEMA, compression);
                    };
            this.table = "sluice_selftest_" + name;
            CopyTarget configuredTarget = config.loader().target();
            CopyTarget target =
                    CopyTarget.builder()
                            .dialect(configuredTarget.dialect())
                            .targetTable(schema + "." + table)
                            .columns(COLUMNS)
                            .iamRole(configuredTarget.iamRole())
                            .stagingFormat(staging)
                            .copyOptions(
                                    configured.format() == format
                                            ? configuredTarget.copyOptions().text()
                                            : null)
                            .build();
            LedgerOptions ledger =
                    LedgerOptions.builder()
                            .ledgerSchema(schema)
                            .manifestBasePath(this.prefix + "manifests/")
                            .failedLoadBasePath(this.prefix + "errors/load-failed/")
                            .build();
            this.loader =
                    new WarehouseLoader(
                            WarehouseLoaderConfig.builder()
                                    .target(target)
                                    .ledger(ledger)
                                    .connectionProvider(config.loader().connectionProvider())
                                    .build());
        }

        boolean run() {
            String quoted = SqlIdentifiers.quote(schema) + "." + SqlIdentifiers.quote(table);
            try {
                execute(
                        "CREATE TABLE "
                                + quoted
                                + " (id integer NOT NULL, label varchar("
                                + LABEL_LENGTH
                                + "), note varchar(40))");
                createdTables.add(table);
                out.accept("ok " + name + " table " + schema + "." + table + " created");
            } catch (SQLException e) {
                fail(name + " table", e);
                return false;
            }

            List<StagedFile> files;
            try {
                files =
                        List.of(
                                stage("part 1 ü=%.", ROWS.subList(0, 2)),
                                stage("part 2 ü=%.", ROWS.subList(2, 3)));
                out.accept(
                        "ok "
                                + name
                                + " staged "
                                + ROWS.size()
                                + " rows in "
                                + files.size()
                                + " files, e.g. "
                                + files.get(0).url());
            } catch (IOException e) {
                fail(name + " stage", e);
                return false;
            }

            StepPrinter steps = new StepPrinter(name);
            LoadResult result;
            try {
                result = loader.load(LoadMetadata.of(1), files, steps);
                steps.finished();
            } catch (IOException | SQLException | RuntimeException e) {
                steps.failed(e);
                return false;
            }
            if (result.rows() != ROWS.size()) {
                out.accept(
                        "FAIL self-test "
                                + name
                                + " copy: "
                                + result.rows()
                                + " rows loaded, "
                                + ROWS.size()
                                + " staged");
                return false;
            }

            boolean passed = checkRows(quoted);

            try {
                LoadResult again = loader.load(LoadMetadata.of(2), files);
                if (again.loaded()) {
                    out.accept(
                            "FAIL self-test "
                                    + name
                                    + " ledger: loading the same files again loaded them again");
                    passed = false;
                } else {
                    out.accept(
                            "ok " + name + " ledger: loading the same files again loads nothing");
                }
            } catch (IOException | SQLException | RuntimeException e) {
                fail(name + " reload", e);
                passed = false;
            }

            return rejectedRow() && passed;
        }

        /** The rows read back must equal the rows staged, NULL and '' kept apart. */
        private boolean checkRows(String quoted) {
            List<String> expected = new ArrayList<>();
            for (String[] row : ROWS) {
                expected.add(Arrays.toString(row));
            }
            List<String> actual = new ArrayList<>();
            try (Connection connection = config.loader().connectionProvider().open();
                    Statement statement = connection.createStatement();
                    ResultSet rows =
                            statement.executeQuery(
                                    "SELECT id, label, note FROM " + quoted + " ORDER BY id")) {
                while (rows.next()) {
                    actual.add(
                            Arrays.toString(
                                    new String[] {
                                        rows.getString(1), rows.getString(2), rows.getString(3)
                                    }));
                }
            } catch (SQLException e) {
                fail(name + " read back", e);
                return false;
            }
            if (!actual.equals(expected)) {
                out.accept(
                        "FAIL self-test "
                                + name
                                + " read back: expected "
                                + expected
                                + ", the table holds "
                                + actual);
                return false;
            }
            out.accept(
                    "ok "
                            + name
                            + " read back: "
                            + ROWS.size()
                            + " rows as staged, NULL and '' kept apart, non-ASCII intact");
            return true;
        }

        /** A file with one good row and one the table must reject (a label too long). */
        private boolean rejectedRow() {
            String tooLong = "x".repeat(LABEL_LENGTH + 20);
            StagedFile file;
            try {
                file =
                        stage(
                                "rejected ü=%.",
                                List.of(
                                        new String[] {"10", "good", "y"},
                                        new String[] {"11", tooLong, "z"}));
            } catch (IOException e) {
                fail(name + " stage", e);
                return false;
            }
            try {
                LoadResult result = loader.load(LoadMetadata.of(3), List.of(file));
                if (result.rejectedRows() == 1 && result.rows() == 1) {
                    String written = rejectedObjects();
                    if (written == null) {
                        out.accept(
                                "FAIL self-test "
                                        + name
                                        + " rejected row: isolated, but nothing was written to"
                                        + " errors/load-rejected/");
                        return false;
                    }
                    out.accept(
                            "ok "
                                    + name
                                    + " rejected row: isolated, the good row loaded, the"
                                    + " rejected one written to "
                                    + written);
                    return true;
                }
                out.accept(
                        "FAIL self-test "
                                + name
                                + " rejected row: the table took "
                                + result.rows()
                                + " rows and rejected "
                                + result.rejectedRows()
                                + "; a label of "
                                + tooLong.length()
                                + " characters into varchar("
                                + LABEL_LENGTH
                                + ") should be rejected (do copy.options truncate?)");
                return false;
            } catch (LoadRejectedException e) {
                List<LoadErrorDetail> details = e.details();
                LoadErrorDetail first = details.isEmpty() ? null : details.get(0);
                if (first == null || first.line() <= 0) {
                    out.accept(
                            "FAIL self-test "
                                    + name
                                    + " rejected row: the COPY failed, but the loader could not"
                                    + " read back which row: "
                                    + dev.sluice.job.preflight.CheckResult.oneLine(e.getMessage()));
                    return false;
                }
                out.accept(
                        "ok "
                                + name
                                + " rejected row: the load failed whole, and the warehouse named"
                                + " line "
                                + first.line()
                                + (first.column() == null ? "" : " column " + first.column())
                                + ": "
                                + first.message());
                return true;
            } catch (IOException | SQLException | RuntimeException e) {
                fail(name + " rejected row", e);
                return false;
            }
        }

        /** The first object under this run's errors/load-rejected/, or null. */
        @Nullable
        private String rejectedObjects() throws IOException {
            Path directory = new Path(prefix + "errors/load-rejected/");
            FileSystem fileSystem = directory.getFileSystem();
            if (!fileSystem.exists(directory)) {
                return null;
            }
            FileStatus[] children = fileSystem.listStatus(directory);
            return children == null || children.length == 0
                    ? null
                    : children[0].getPath().toString();
        }

        /** Writes rows with the job's encoder and writer under the awkward directory. */
        private StagedFile stage(String baseName, List<String[]> rows) throws IOException {
            Path path =
                    new Path(prefix + AWKWARD_DIRECTORY + baseName + run + staging.fileSuffix());
            FileSystem fileSystem = path.getFileSystem();
            try (FSDataOutputStream stream =
                    fileSystem.create(path, FileSystem.WriteMode.OVERWRITE)) {
                BulkWriter<StagedRow> writer = staging.writerFactory().create(stream);
                for (String[] row : rows) {
                    writer.addElement(new StagedRow("", staging.encoder().encode(json(row))));
                }
                writer.finish();
            } catch (dev.sluice.sinks.s3.format.FormatConversionException e) {
                throw new IOException("the job's encoder refused a row: " + e.getMessage(), e);
            }
            long size = fileSystem.getFileStatus(path).getLen();
            // The url as the job's committed files carry it: Path.toString(), the key unescaped.
            return new StagedFile(path.toString(), size);
        }

        private void execute(String sql) throws SQLException {
            try (Connection connection = config.loader().connectionProvider().open();
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }
    }

    /** {@code {"id":1,"label":"…","note":null}}. */
    static byte[] json(String[] row) {
        StringBuilder json = new StringBuilder("{\"id\":").append(row[0]);
        json.append(",\"label\":").append(quote(row[1]));
        json.append(",\"note\":").append(row[2] == null ? "null" : quote(row[2]));
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Prints {@code ok <format> <step>} as each step is passed, and the failing one. */
    private final class StepPrinter implements dev.sluice.sinks.warehouse.LoadStepListener {
        private final String format;
        @Nullable private LoadStep current;

        StepPrinter(String format) {
            this.format = format;
        }

        @Override
        public void reached(LoadStep step) {
            finished();
            current = step;
        }

        void finished() {
            if (current != null) {
                out.accept("ok " + format + " " + current.label());
                current = null;
            }
        }

        void failed(Exception e) {
            String step = current == null ? "load" : current.label();
            current = null;
            fail(format + " " + step, e);
        }
    }

    private void fail(String step, Exception e) {
        out.accept("FAIL self-test " + step + ": " + CheckText.message(e));
    }

    /** Drops the tables (or the schema) it created and deletes what it staged. */
    private boolean cleanUp(String schema, List<String> createdTables, String prefix) {
        boolean passed = true;
        try (Connection connection = config.loader().connectionProvider().open();
                Statement statement = connection.createStatement()) {
            if (givenSchema == null) {
                statement.execute(
                        "DROP SCHEMA IF EXISTS " + SqlIdentifiers.quote(schema) + " CASCADE");
            } else {
                for (String table : createdTables) {
                    statement.execute(
                            "DROP TABLE IF EXISTS "
                                    + SqlIdentifiers.quote(schema)
                                    + "."
                                    + SqlIdentifiers.quote(table));
                }
            }
            out.accept(
                    "ok clean-up: dropped "
                            + (givenSchema == null ? "schema " + schema : createdTables));
        } catch (SQLException e) {
            fail("clean-up", e);
            passed = false;
        }
        try {
            Path staged = new Path(prefix);
            staged.getFileSystem().delete(staged, true);
            out.accept("ok clean-up: deleted " + prefix);
        } catch (IOException e) {
            fail("clean-up", e);
            passed = false;
        }
        return passed;
    }
}
