package dev.sluice.job;

import dev.sluice.sinks.s3.format.OutputFormat;

/**
 * {@link StatelessRestartITCase} with CSV staging: a kill, the checkpoints thrown away and a start
 * without state must deliver every event once when the rows reach the files through the CSV encoder
 * and are loaded with {@code COPY … CSV}, as with JSON lines. Every loaded file must be a {@code
 * .csv.gz}, so the case fails if the format was not applied.
 */
class StatelessRestartCsvITCase extends StatelessRestartITCase {

    @Override
    OutputFormat stagingFormat() {
        return OutputFormat.CSV;
    }
}
