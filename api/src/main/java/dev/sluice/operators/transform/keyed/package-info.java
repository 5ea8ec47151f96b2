/**
 * <b>Public API</b> for stateful transforms: {@link
 * dev.sluice.operators.transform.keyed.KeyedSluiceTransform}, its {@link
 * dev.sluice.operators.transform.keyed.KeyedContext} and {@link
 * dev.sluice.operators.transform.keyed.TimerContext}, marked {@link
 * org.apache.flink.annotation.PublicEvolving} like {@code SluiceTransform}.
 *
 * <p>This package is split between two modules, like {@code dev.sluice.operators.transform}: {@code
 * sluice-api} holds the interfaces above, which a user's transform compiles against, and {@code
 * sluice-operators} holds the internal rest: the stage's key ({@code StageKey}) and what a record
 * without one does ({@code MissingKeyPolicy}); {@code KeyedTransformFunction} runs the transform.
 * See {@code docs/transforms.md}, "Keyed user transforms".
 */
package dev.sluice.operators.transform.keyed;
