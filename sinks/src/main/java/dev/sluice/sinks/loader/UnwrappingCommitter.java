package dev.sluice.sinks.loader;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.file.sink.FileSinkCommittable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * FileSink's own committer, fed the FileSink committables inside {@link StagedCommittable}s; every
 * signal it gives about a request (failure, retry, already committed) goes back to that request.
 *
 * <p>Watermark carriers hold no FileSink committable and are not passed on: Flink marks a request
 * nobody signalled as committed, so they reach the loader with the checkpoint's files.
 */
final class UnwrappingCommitter implements Committer<StagedCommittable> {

    private final Committer<FileSinkCommittable> files;

    UnwrappingCommitter(Committer<FileSinkCommittable> files) {
        this.files = files;
    }

    @Override
    public void commit(Collection<CommitRequest<StagedCommittable>> requests)
            throws IOException, InterruptedException {
        List<CommitRequest<FileSinkCommittable>> unwrapped = new ArrayList<>(requests.size());
        for (CommitRequest<StagedCommittable> request : requests) {
            if (request.getCommittable().committable() != null) {
                unwrapped.add(new Unwrapped(request));
            }
        }
        if (!unwrapped.isEmpty()) {
            files.commit(unwrapped);
        }
    }

    @Override
    public void close() throws Exception {
        files.close();
    }

    private static final class Unwrapped implements CommitRequest<FileSinkCommittable> {
        private final CommitRequest<StagedCommittable> request;

        Unwrapped(CommitRequest<StagedCommittable> request) {
            this.request = request;
        }

        @Override
        public FileSinkCommittable getCommittable() {
            return request.getCommittable().committable();
        }

        @Override
        public int getNumberOfRetries() {
            return request.getNumberOfRetries();
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            request.signalFailedWithKnownReason(t);
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            request.signalFailedWithUnknownReason(t);
        }

        @Override
        public void retryLater() {
            request.retryLater();
        }

        @Override
        public void updateAndRetryLater(FileSinkCommittable committable) {
            request.updateAndRetryLater(request.getCommittable().with(committable));
        }

        @Override
        public void signalAlreadyCommitted() {
            request.signalAlreadyCommitted();
        }
    }
}
