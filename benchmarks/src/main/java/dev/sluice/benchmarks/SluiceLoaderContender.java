package dev.sluice.benchmarks;

import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.PostgresServer;
import dev.sluice.sinks.s3.format.Compression;
import dev.sluice.sinks.s3.format.FileFormat;
import dev.sluice.sinks.warehouse.CopyTarget;
import dev.sluice.sinks.warehouse.DriverManagerConnectionProvider;
import dev.sluice.sinks.warehouse.LedgerOptions;
import dev.sluice.sinks.warehouse.LoadResult;
import dev.sluice.sinks.warehouse.StagedFile;
import dev.sluice.sinks.warehouse.WarehouseDialect;
import dev.sluice.sinks.warehouse.WarehouseLoader;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sluice's own loader, as the warehouse loader operator calls it: one load of all staged files, in
 * one transaction with the ledger, through {@code COPY … FROM STDIN}. With JSON staging each line
 * is mapped to the columns ({@code JSON 'auto'}); with CSV staging the files' bytes go to COPY as
 * they are.
 */
final class SluiceLoaderContender implements Contender {

    private final PostgresServer postgres;
    private final String table;
    private final Path manifests;
    private final boolean csv;
    private int round;

    /**
     * @param csv load the uncompressed CSV files (CSV staging) instead of GZIP JSON lines
     */
    SluiceLoaderContender(PostgresServer postgres, String table, Path manifests, boolean csv) {
        this.postgres = postgres;
        this.table = table;
        this.manifests = manifests;
        this.csv = csv;
    }

    @Override
    public String name() {
        return csv
                ? "Sluice loader (postgres dialect, CSV staging)"
                : "Sluice loader (postgres dialect)";
    }

    @Override
    public String notes() {
        return csv
                ? "CSV files streamed unchanged into COPY FROM STDIN, one transaction with the"
                        + " ledger, single thread"
                : "GZIP JSON lines → JSON 'auto' → COPY FROM STDIN, one transaction with the"
                        + " ledger, single thread";
    }

    @Override
    public void run(BenchmarkData data) throws Exception {
        // A fresh ledger schema each round, so every round loads everything.
        String ledgerSchema = "bench_ledger_" + (csv ? "csv_" : "") + (++round);
        List<String> columns = List.of(DemoEvents.COLUMNS.split(","));
        WarehouseLoaderConfig config =
                WarehouseLoaderConfig.builder()
                        .target(
                                CopyTarget.builder()
                                        .dialect(WarehouseDialect.POSTGRES)
                                        .targetTable(table)
                                        .columns(columns)
                                        .stagingFormat(
                                                csv
                                                        ? FileFormat.csv(columns, Compression.NONE)
                                                        : FileFormat.json())
                                        .build())
                        .ledger(
                                LedgerOptions.builder()
                                        .ledgerSchema(ledgerSchema)
                                        .manifestBasePath(manifests.toUri().toString())
                                        .build())
                        .connectionProvider(
                                new DriverManagerConnectionProvider(
                                        postgres.jdbcUrl(), postgres.user(), postgres::password))
                        .build();
        List<StagedFile> files = new ArrayList<>();
        for (Path file : csv ? data.csvFiles : data.jsonGzipFiles) {
            files.add(new StagedFile(file.toUri().toString(), Files.size(file)));
        }
        LoadResult result = new WarehouseLoader(config).load(1, files);
        if (result.rows() != data.rows) {
            throw new IllegalStateException("loaded " + result.rows() + " of " + data.rows);
        }
    }
}
