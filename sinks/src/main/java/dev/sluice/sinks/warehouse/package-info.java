/**
 * The warehouse loader: makes the rows of files that Flink's FileSink committed land in a Redshift
 * or PostgreSQL table exactly once.
 *
 * <p>{@link dev.sluice.sinks.warehouse.WarehouseLoader} runs one load per call: it writes a
 * Redshift COPY {@link dev.sluice.sinks.warehouse.Manifest}, then, in one transaction, locks the
 * {@link dev.sluice.sinks.warehouse.LoadLedger}, skips files the ledger already holds, copies the
 * rest through the configured {@link dev.sluice.sinks.warehouse.WarehouseDialect} and records them
 * in the ledger before committing. Everything it needs is in a serializable {@link
 * dev.sluice.sinks.warehouse.WarehouseLoaderConfig} (copy target, ledger, connections); no Flink
 * runtime class is involved, so the loader operator that drives it and the {@code replay} command
 * can share it. How often a failing load is retried is the caller's {@link
 * dev.sluice.sinks.warehouse.LoadRetryPolicy}, applied by {@link
 * dev.sluice.sinks.warehouse.RetryingLoader}.
 */
package dev.sluice.sinks.warehouse;
