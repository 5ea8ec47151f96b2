package dev.sluice.sinks.warehouse;

/**
 * The steps of one {@link WarehouseLoader#load} in the order it takes them, so that a caller
 * watching through a {@link LoadStepListener} can say which one failed.
 */
public enum LoadStep {
    /** Opening a connection with the configured provider. */
    CONNECT("connect"),
    /** Creating or upgrading the ledger tables and the target's lock table where missing. */
    LEDGER_TABLES("ledger tables"),
    /** Asking the ledger which files are loaded already, before the lock. */
    LEDGER_CHECK("ledger check"),
    /** Writing the load's manifest. */
    MANIFEST("manifest"),
    /** Taking the target table's load lock and checking the ledger again under it. */
    LOCK("lock"),
    /** The dialect's COPY of the manifest's files. */
    COPY("copy"),
    /** Writing the rows the table rejected to {@code errors/load-rejected/}. */
    REJECTED_ROWS("rejected rows"),
    /** Inserting the load and its files into the ledger. */
    LEDGER_RECORD("ledger record"),
    /** Committing rows and ledger together. */
    COMMIT("commit");

    private final String label;

    LoadStep(String label) {
        this.label = label;
    }

    /** The name a report shows, e.g. {@code ledger record}. */
    public String label() {
        return label;
    }
}
