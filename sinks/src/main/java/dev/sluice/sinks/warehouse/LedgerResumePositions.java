package dev.sluice.sinks.warehouse;

import dev.sluice.operators.source.position.ResumePositions;
import dev.sluice.operators.source.position.SourcePositions;

import java.sql.Connection;
import java.util.Objects;

/**
 * The ledger's source positions for the loader's target table: where a start without Flink state
 * resumes each shard (see {@code SourcePositionFilter}). Read in a short transaction of its own; a
 * ledger without a positions table (nothing loaded since an upgrade) knows no positions.
 */
public final class LedgerResumePositions implements ResumePositions {

    private static final long serialVersionUID = 1L;

    private final WarehouseLoaderConfig config;

    public LedgerResumePositions(WarehouseLoaderConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public SourcePositions read(String stream) throws Exception {
        LoadLedger ledger =
                new LoadLedger(config.ledger().ledgerSchema(), config.target().dialect());
        try (Connection connection = config.connectionProvider().open()) {
            connection.setAutoCommit(false);
            try {
                return ledger.hasPositionsTable(connection)
                        ? ledger.readPositions(connection, config.target().table(), stream)
                        : SourcePositions.none();
            } finally {
                connection.rollback();
            }
        }
    }
}
