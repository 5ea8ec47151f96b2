package dev.sluice.sinks.loader;

import dev.sluice.operators.source.position.SourcePositions;
import dev.sluice.sinks.s3.format.StagedRow;

import java.io.Serializable;

/**
 * Reads a staged row's source position, so that the staging writer can say how far each shard is
 * staged in a checkpoint (see {@link WatermarkRecordingWriter}).
 *
 * @param <IN> the rows the sink writes
 */
@FunctionalInterface
public interface RowPositions<IN> extends Serializable {

    /** Advances {@code positions} to the row's position in its shard, if the row has one. */
    void addTo(IN row, SourcePositions positions);

    /** Rows without positions: the ledger then learns none. */
    static <IN> RowPositions<IN> none() {
        return (row, positions) -> {};
    }

    /** The position each {@link StagedRow} carries from its source record. */
    static RowPositions<StagedRow> ofStagedRows() {
        return (row, positions) -> row.shard().ifPresent(s -> positions.advance(s, row.position()));
    }
}
