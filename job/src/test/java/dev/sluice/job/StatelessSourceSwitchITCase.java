package dev.sluice.job;

import dev.sluice.job.config.SourceOptions.SourceType;

/**
 * {@link StatelessRestartITCase} with a change of source type: run 1 reads with the legacy {@code
 * POLLING} consumer and is killed with SIGKILL, its checkpoints are discarded, and runs 2 and 3
 * read with the FLIP-27 {@code KinesisStreamsSource}, whose state the legacy consumer's could not
 * be restored into anyway. The ledger's source positions alone must make the switch lose and
 * duplicate nothing.
 *
 * <p>On kinesalite, like its parent, which serves the FLIP-27 source through {@code
 * KinesaliteServer.STREAM_ARN_PRELOAD}. Not on kinesis-local: its PutRecords costs time in
 * proportion to the records already in the target shard, so 50,000 events there take many minutes,
 * and on a loaded machine a PutRecords outlived the client's read timeout (see {@code
 * KinesisLocalServer}).
 */
class StatelessSourceSwitchITCase extends StatelessRestartITCase {

    @Override
    SourceType restartSourceType() {
        return SourceType.FLIP27;
    }
}
