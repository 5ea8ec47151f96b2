/**
 * The record a transform sees. <b>Public API</b>: {@link dev.sluice.operators.record.SluiceRecord}
 * is in the {@code sluice-api} module and marked {@link
 * org.apache.flink.annotation.PublicEvolving}; the rest of the package ({@code JsonPayloads}) is
 * internal and lives in {@code sluice-operators}.
 */
package dev.sluice.operators.record;
