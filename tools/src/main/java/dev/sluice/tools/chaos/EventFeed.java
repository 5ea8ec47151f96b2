package dev.sluice.tools.chaos;

import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.KinesisProducer;
import dev.sluice.localstack.ProducerRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Puts a run's events into its stream in the background at a steady rate, in PutRecords batches of
 * 500, so that a fault lands while events still arrive. Remembers every event id it stored.
 *
 * <p>The last events are held back until {@link #release()}: the run releases them just before its
 * fault, so every fault meets events still to be delivered, however far the job has caught up, and
 * the table must grow after it. Without that hold a job that loaded everything before the fault
 * would show no recovery at all (a load can hold every event of a short, fast run).
 *
 * <p>{@link #pause()} holds the producer between two batches (the Kinesis fault uses it): a batch
 * whose PutRecords failed in an outage would have to be sent again, and a retried put can store an
 * event twice — a duplicate the job never made, which would be blamed on it.
 */
final class EventFeed implements AutoCloseable {

    private final KinesisProducer producer;
    private final String stream;
    private final int count;
    private final long seed;
    private final int ratePerSecond;
    private final int holdAt;
    private final CountDownLatch released = new CountDownLatch(1);
    private final ReentrantLock putLock = new ReentrantLock();
    private final Set<String> ids = new HashSet<>();
    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(r -> new Thread(r, "chaos-event-feed"));
    private CompletableFuture<Void> done;

    /**
     * @param holdAt how many events to put before waiting for {@link #release()}; {@code count} or
     *     more holds nothing back
     */
    EventFeed(
            KinesisProducer producer,
            String stream,
            int count,
            long seed,
            int ratePerSecond,
            int holdAt) {
        this.producer = producer;
        this.stream = stream;
        this.count = count;
        this.seed = seed;
        this.ratePerSecond = ratePerSecond;
        this.holdAt = holdAt;
    }

    void start() {
        done = CompletableFuture.runAsync(this::produce, thread);
    }

    private void produce() {
        DemoEvents events = new DemoEvents(count, seed);
        long pacedFrom = System.nanoTime();
        int sent = 0;
        int pacedSent = 0;
        while (events.hasNext()) {
            if (sent >= holdAt && released.getCount() > 0) {
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                // The held events go at the same steady rate, not in a burst to catch up.
                pacedFrom = System.nanoTime();
                pacedSent = 0;
            }
            List<ProducerRecord> batch = new ArrayList<>(KinesisProducer.MAX_RECORDS_PER_REQUEST);
            List<String> batchIds = new ArrayList<>(KinesisProducer.MAX_RECORDS_PER_REQUEST);
            // A batch ends where the hold begins, so exactly holdAt events go before it.
            int limit =
                    sent < holdAt
                            ? Math.min(KinesisProducer.MAX_RECORDS_PER_REQUEST, holdAt - sent)
                            : KinesisProducer.MAX_RECORDS_PER_REQUEST;
            while (events.hasNext() && batch.size() < limit) {
                DemoEvents.Event e = events.next();
                batch.add(new ProducerRecord(e.partitionKey(), e.json()));
                batchIds.add(e.eventId());
            }
            putLock.lock();
            try {
                producer.putAll(stream, batch);
            } finally {
                putLock.unlock();
            }
            synchronized (ids) {
                ids.addAll(batchIds);
            }
            sent += batch.size();
            pacedSent += batch.size();
            long due = pacedFrom + TimeUnit.SECONDS.toNanos(pacedSent) / ratePerSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Lets the held-back events go; the first call counts, later ones do nothing. */
    void release() {
        released.countDown();
    }

    /** Blocks the producer after its current batch, until {@link #resume()}. */
    void pause() {
        putLock.lock();
    }

    void resume() {
        putLock.unlock();
    }

    /** Waits until every event is stored; rethrows the producer's failure. */
    void await(long timeoutSeconds) throws Exception {
        done.get(timeoutSeconds, TimeUnit.SECONDS);
    }

    boolean finished() {
        return done != null && done.isDone();
    }

    /** The ids of the events stored so far. */
    Set<String> ids() {
        synchronized (ids) {
            return new HashSet<>(ids);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
