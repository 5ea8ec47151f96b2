package dev.sluice.operators.transform.keyed;

/** What the keyed transform stage does with a record its key selector finds no key in. */
public enum MissingKeyPolicy {
    /** The record goes to {@code errors/processing-failed/} with code {@code Key.Missing}. */
    PROCESSING_FAILED,
    /**
     * The record runs through the chain without a key: {@code dedup} lets it through unchecked and
     * remembers nothing for it.
     */
    PASS
}
