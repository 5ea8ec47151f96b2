/**
 * <b>User-facing API</b> for stateful transforms: {@link
 * dev.sluice.operators.transform.keyed.KeyedSluiceTransform}, its {@link
 * dev.sluice.operators.transform.keyed.KeyedContext} and {@link
 * dev.sluice.operators.transform.keyed.TimerContext}, plus the stage's key ({@link
 * dev.sluice.operators.transform.keyed.StageKey}) and what a record without one does ({@link
 * dev.sluice.operators.transform.keyed.MissingKeyPolicy}).
 *
 * <p>These interfaces are what a user's transform compiles against; they change only with a note in
 * the release notes. See {@code docs/transforms.md}, "Stateful transforms".
 */
package dev.sluice.operators.transform.keyed;
