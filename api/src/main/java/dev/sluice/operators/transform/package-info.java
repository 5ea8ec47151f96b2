/**
 * The transform stage: Firehose's Lambda processing as a Flink operator. <b>Public API</b>, in
 * part: this package is split between two modules.
 *
 * <p>The {@code sluice-api} module holds what a user's transform compiles against, and nothing
 * else: {@link dev.sluice.operators.transform.SluiceTransform} and {@link
 * dev.sluice.operators.transform.TransformResult} here, the stateful {@link
 * dev.sluice.operators.transform.keyed.KeyedSluiceTransform} and its contexts in {@code keyed}, and
 * {@link dev.sluice.operators.record.SluiceRecord}. They are marked {@link
 * org.apache.flink.annotation.PublicEvolving}: they may change between minor releases, and each
 * change is named in the release notes. A transform jar built against {@code sluice-api} needs
 * nothing else from Sluice at compile time (see {@code examples/transform-starter} and {@code
 * docs/transforms.md}).
 *
 * <p>The rest of the package lives in {@code sluice-operators} and is internal. A user writes a
 * {@code SluiceTransform} that returns one {@code TransformResult} per record (Ok, Dropped or
 * ProcessingFailed); built-ins in {@code builtin} have the same shape and are chained with it by
 * {@code ChainedTransform}. {@code TransformFunction} runs the chain, turns exceptions and missing
 * answers into ProcessingFailed, sends failed and (optionally) late records to side outputs as
 * {@code FailedRecord}s, and counts every outcome, so that each record that enters leaves as
 * exactly one of: a delivered record, a Dropped count, an error record.
 *
 * <p>A chain with a keyed step (the {@code dedup} built-in, or a user's {@code
 * KeyedSluiceTransform}) runs in {@code KeyedTransformFunction} instead, on a stream keyed by a
 * {@code StageKey}; both functions share the outcome contract in {@code TransformStage}.
 */
package dev.sluice.operators.transform;
