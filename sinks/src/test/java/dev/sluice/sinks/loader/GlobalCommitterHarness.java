package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.StagedFile;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.connector.sink2.GlobalCommitterOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * The loader as Flink runs it, for harness tests: {@link WarehouseCommitter} inside Flink's own
 * {@link GlobalCommitterOperator}, fed what one FileSink committer subtask sends.
 */
final class GlobalCommitterHarness {

    private GlobalCommitterHarness() {}

    /**
     * @param commitOnInput what the job uses (an upstream committer exists); {@code false} makes
     *     the operator wait for checkpoint-complete notifications instead
     */
    static OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> of(
            WarehouseLoaderConfig config, boolean commitOnInput) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new GlobalCommitterOperator<CommittedFile, Void>(
                        () -> new WarehouseCommitter(config),
                        CommittedFileSerializer::new,
                        commitOnInput));
    }

    /** A checkpoint's summary announcing {@code announced} committables, then these files. */
    static void send(
            OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> harness,
            long checkpointId,
            int announced,
            StagedFile... files)
            throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        new CommittableSummary<>(0, 1, checkpointId, announced, announced, 0)));
        for (StagedFile file : files) {
            harness.processElement(
                    new StreamRecord<>(
                            new CommittableWithLineage<>(
                                    new CommittedFile(checkpointId, file), checkpointId, 0)));
        }
    }

    /** A complete checkpoint: its summary, then exactly these files. */
    static void send(
            OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> harness,
            long checkpointId,
            StagedFile... files)
            throws Exception {
        send(harness, checkpointId, files.length, files);
    }
}
