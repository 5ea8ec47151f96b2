/**
 * The transform stage: Firehose's Lambda processing as a Flink operator.
 *
 * <p>A user writes a {@link dev.sluice.operators.transform.SluiceTransform} that returns one
 * {@link dev.sluice.operators.transform.TransformResult} per record (Ok, Dropped or
 * ProcessingFailed); built-ins in {@code builtin} have the same shape and are chained with it by
 * {@link dev.sluice.operators.transform.ChainedTransform}. {@link
 * dev.sluice.operators.transform.TransformFunction} runs the chain, turns exceptions and missing
 * answers into ProcessingFailed, sends failed and (optionally) late records to side outputs as
 * {@link dev.sluice.operators.transform.FailedRecord}s, and counts every outcome, so that each
 * record that enters leaves as exactly one of: a delivered record, a Dropped count, an error
 * record.
 *
 * <p>A chain with a keyed step (the {@code dedup} built-in, a user's {@link
 * dev.sluice.operators.transform.keyed.KeyedSluiceTransform} wrapped as a {@link
 * dev.sluice.operators.transform.KeyedStep}) runs in {@link
 * dev.sluice.operators.transform.KeyedTransformFunction} instead, on a stream keyed by a {@link
 * dev.sluice.operators.transform.keyed.StageKey}; both functions share the outcome contract in
 * {@code TransformStage}.
 */
package dev.sluice.operators.transform;
