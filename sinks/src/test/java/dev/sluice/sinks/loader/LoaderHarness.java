package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.StagedFile;
import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.function.SerializableSupplier;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The loader as Flink runs it, for harness tests: {@link WarehouseLoaderOperator} from its factory,
 * with the harness's mailbox, fed what FileSink committer subtasks send.
 */
final class LoaderHarness {

    private static final long AWAIT_MS = 60_000;

    private LoaderHarness() {}

    /** Loads run on the loader's own background thread, as in production. */
    static OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> of(
            WarehouseLoaderConfig config) throws Exception {
        return of(config, LoaderExecutionOptions.defaults());
    }

    static OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> of(
            WarehouseLoaderConfig config, LoaderExecutionOptions execution) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new WarehouseLoaderOperatorFactory(config, execution));
    }

    /** Loads run only when the test says so, to hold a load "in flight". */
    static OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> of(
            WarehouseLoaderConfig config, ManualExecutor executor) throws Exception {
        return of(config, LoaderExecutionOptions.defaults(), executor);
    }

    static OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> of(
            WarehouseLoaderConfig config, LoaderExecutionOptions execution, ManualExecutor executor)
            throws Exception {
        SerializableSupplier<Executor> executors = () -> executor;
        return new OneInputStreamOperatorTestHarness<>(
                new WarehouseLoaderOperatorFactory(config, execution, executors));
    }

    static WarehouseLoaderOperator operator(
            OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> harness) {
        return (WarehouseLoaderOperator) harness.getOperator();
    }

    /**
     * A complete checkpoint from a single writer and committer subtask: its summary, then these
     * files and the writer's watermark carrier (watermark unknown); then waits for the loads.
     */
    static void send(
            OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> harness,
            long checkpointId,
            StagedFile... files)
            throws Exception {
        sendWithoutWaiting(harness, checkpointId, files);
        awaitLoads(harness);
    }

    /** As {@link #send}, without waiting. */
    static void sendWithoutWaiting(
            OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> harness,
            long checkpointId,
            StagedFile... files)
            throws Exception {
        List<CommittedFile> committables = new ArrayList<>();
        for (StagedFile file : files) {
            committables.add(new CommittedFile(checkpointId, file, "job", null, 0, 1));
        }
        committables.add(CommittedFile.carrier(checkpointId, "job", null, 0, 1, files.length));
        sendSubtask(harness, checkpointId, 0, 1, committables);
    }

    /** One committer subtask's summary and committables for a checkpoint. */
    static void sendSubtask(
            OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> harness,
            long checkpointId,
            int subtask,
            int subtasks,
            List<CommittedFile> committables)
            throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        new CommittableSummary<>(
                                subtask, subtasks, checkpointId, committables.size(), 0, 0)));
        for (CommittedFile committed : committables) {
            harness.processElement(
                    new StreamRecord<>(
                            new CommittableWithLineage<>(committed, checkpointId, subtask)));
        }
    }

    /** Runs the mails of finished loads until no load is running. */
    static void awaitLoads(
            OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> harness)
            throws Exception {
        long deadline = System.currentTimeMillis() + AWAIT_MS;
        TaskMailbox mailbox = harness.getTaskMailbox();
        while (true) {
            Optional<Mail> mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY);
            if (mail.isPresent()) {
                mail.get().run();
                continue;
            }
            if (!operator(harness).isLoading()) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("A load did not finish within " + AWAIT_MS + " ms");
            }
            Thread.sleep(5);
        }
    }

    /** Runs the mails that are waiting, without waiting for more. */
    static void runMails(
            OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> harness)
            throws Exception {
        TaskMailbox mailbox = harness.getTaskMailbox();
        for (Optional<Mail> mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY);
                mail.isPresent();
                mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY)) {
            mail.get().run();
        }
    }

    /** An executor that runs its tasks only when told, in the calling thread. */
    static final class ManualExecutor implements Executor, Serializable {
        private static final long serialVersionUID = 1L;

        private final transient Deque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        int queued() {
            return tasks.size();
        }

        /** Runs the oldest queued load, then the mail that reports it back. */
        void runNext(
                OneInputStreamOperatorTestHarness<CommittableMessage<CommittedFile>, Void> harness)
                throws Exception {
            Runnable task = tasks.poll();
            if (task == null) {
                throw new AssertionError("No load is queued");
            }
            task.run();
            runMails(harness);
        }
    }
}
