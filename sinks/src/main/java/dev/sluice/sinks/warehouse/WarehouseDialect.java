package dev.sluice.sinks.warehouse;

import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * What differs between the warehouses the loader writes to; everything else (the manifest, the
 * ledger protocol, the transaction) is the same code for all of them.
 *
 * <ul>
 *   <li>{@link #REDSHIFT} ({@code redshift}): {@code COPY … FROM 's3://…/<loadId>.manifest'
 *       IAM_ROLE '…' MANIFEST <CopyOptions>}; Redshift reads the files from S3 itself.
 *   <li>{@link #POSTGRES} ({@code postgres}): PostgreSQL cannot read S3, so the loader streams each
 *       manifest file through {@code COPY … FROM STDIN}, reproducing {@code JSON 'auto'}.
 * </ul>
 */
public interface WarehouseDialect extends Serializable {

    WarehouseDialect POSTGRES = PostgresDialect.INSTANCE;
    WarehouseDialect REDSHIFT = RedshiftDialect.INSTANCE;

    /**
     * The dialect called {@code name} in configuration ({@code postgres} or {@code redshift}, any
     * case).
     */
    static WarehouseDialect named(String name) {
        if (name != null) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "postgres":
                    return POSTGRES;
                case "redshift":
                    return REDSHIFT;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(
                "Unknown warehouse dialect "
                        + SqlIdentifiers.describe(name)
                        + ": expected postgres or redshift");
    }

    /** The name configuration uses. */
    String name();

    /** The longest identifier, in bytes, that the warehouse keeps without truncating it. */
    int maxIdentifierBytes();

    /**
     * Rejects settings this warehouse cannot honour, at job construction rather than at the first
     * load; called by {@link CopyTarget.Builder#build()}.
     */
    void validate(CopyTarget target);

    /**
     * The statement that locks a target table's lock table (see {@link LoadLedger#lockTable}) for
     * the rest of the transaction, so that no other loader of that table gets past its own lock
     * until this transaction ends.
     */
    String lockStatement(String quotedLockTable);

    /**
     * Whether the ledger tables get primary keys. Only where they are enforced: Redshift accepts
     * but does not enforce them, and its planner trusts them, so declaring them there would only
     * add risk.
     */
    boolean declaresPrimaryKeys();

    /**
     * What follows a ledger table's column list to keep it sorted by {@code columns}, e.g. {@code "
     * SORTKEY (a, b)"} on Redshift; empty where the warehouse has no such clause.
     */
    default String sortKeyClause(String columns) {
        return "";
    }

    /**
     * How the warehouse must see a staged file's or manifest's url, e.g. {@code s3a://} → {@code
     * s3://} for Redshift.
     *
     * @throws IllegalArgumentException if the warehouse cannot read that url at all
     */
    String warehouseUrl(String url);

    /**
     * Copies every file of the manifest into the target table inside the caller's transaction.
     *
     * @param manifestUrl where the manifest was written, as {@link #warehouseUrl} gives it
     * @return the number of rows loaded
     */
    long copy(Connection connection, CopyTarget target, Manifest manifest, String manifestUrl)
            throws SQLException, IOException;

    /**
     * As {@link #copy}, but a row the warehouse rejects for its value (a data exception or an
     * integrity violation) is taken out and the rest of the manifest loaded, still inside the
     * caller's transaction. This default isolates nothing: it is {@link #copy}, and any rejected
     * row fails the whole load.
     *
     * @param maxRejectedRows more rejected rows than this fail the whole load
     */
    default CopyResult copyIsolatingRejects(
            Connection connection,
            CopyTarget target,
            Manifest manifest,
            String manifestUrl,
            int maxRejectedRows)
            throws SQLException, IOException {
        return new CopyResult(copy(connection, target, manifest, manifestUrl), List.of());
    }

    /**
     * What {@link #copyIsolatingRejects} did.
     *
     * @param rows rows loaded
     * @param rejected rows taken out, by file and line
     */
    record CopyResult(long rows, List<RejectedRow> rejected) {
        public CopyResult {
            rejected = List.copyOf(rejected);
        }
    }

    /**
     * Why the warehouse rejected the load that just failed on this connection, asked after the
     * rollback; empty when the dialect already said so in the exception or cannot tell.
     */
    default List<LoadErrorDetail> loadErrors(Connection connection) {
        return List.of();
    }
}
