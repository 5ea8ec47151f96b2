package dev.sluice.sinks.loader;

import java.util.BitSet;
import java.util.Collection;
import java.util.Optional;

/**
 * The completeness watermark of one checkpoint: the smallest watermark over <em>all</em> writer
 * subtasks when the checkpoint cut their files.
 *
 * <p>Every record with an earlier event time was read before the checkpoint, by whichever subtask,
 * so it is in this checkpoint's files or an earlier one's. That holds only for the minimum over
 * every subtask, including those that staged no file in the checkpoint (they may be the slow ones),
 * which is why {@link WatermarkRecordingWriter} sends a carrier per subtask and checkpoint even
 * without files. There is no watermark unless every subtask {@code 0 … n-1} of the writer reported
 * one; committables restored from an older Sluice, which did not say which subtask sent them,
 * therefore never give one.
 */
final class CheckpointWatermark {

    private CheckpointWatermark() {}

    /**
     * @param committables all committables of one checkpoint
     * @return epoch millis, or empty while some writer subtask has not reported a watermark
     */
    static Optional<Long> of(Collection<CommittedFile> committables) {
        int subtasks = 0;
        for (CommittedFile committed : committables) {
            if (committed.writerSubtasks() <= 0
                    || (subtasks != 0 && committed.writerSubtasks() != subtasks)) {
                return Optional.empty();
            }
            subtasks = committed.writerSubtasks();
        }
        if (subtasks == 0) {
            return Optional.empty();
        }
        BitSet reported = new BitSet(subtasks);
        long minimum = Long.MAX_VALUE;
        for (CommittedFile committed : committables) {
            if (committed.eventTimeWatermark().isEmpty()) {
                return Optional.empty();
            }
            int subtask = committed.writerSubtask();
            if (subtask < 0 || subtask >= subtasks) {
                return Optional.empty();
            }
            reported.set(subtask);
            minimum = Math.min(minimum, committed.eventTimeWatermark().get());
        }
        return reported.cardinality() == subtasks ? Optional.of(minimum) : Optional.empty();
    }
}
