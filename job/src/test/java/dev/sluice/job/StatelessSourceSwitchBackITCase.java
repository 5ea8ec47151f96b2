package dev.sluice.job;

import dev.sluice.job.config.SourceOptions.SourceType;

/**
 * {@link StatelessSourceSwitchITCase} the other way round: run 1 reads with the FLIP-27 {@code
 * KinesisStreamsSource} and is killed, runs 2 and 3 read with the legacy {@code POLLING} consumer
 * without state.
 */
class StatelessSourceSwitchBackITCase extends StatelessRestartITCase {

    @Override
    SourceType firstSourceType() {
        return SourceType.FLIP27;
    }

    @Override
    SourceType restartSourceType() {
        return SourceType.POLLING;
    }
}
