package dev.sluice.operators.source.position;

import java.io.Serializable;

/**
 * Where loading stands, per shard, when the job starts: read once by each {@link
 * SourcePositionFilter} subtask as it opens. The warehouse ledger implements it ({@code
 * LedgerResumePositions} in the sinks module); tests pass fixed positions.
 */
@FunctionalInterface
public interface ResumePositions extends Serializable {

    /** Nothing is loaded yet: every record passes. */
    ResumePositions NONE = stream -> SourcePositions.none();

    /**
     * @param stream the stream the job reads
     * @return the loaded position of each of its shards the ledger knows
     * @throws Exception when they cannot be read; the job then fails rather than guess
     */
    SourcePositions read(String stream) throws Exception;
}
