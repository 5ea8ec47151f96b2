package dev.sluice.tools.chaos;

import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.KinesisProducer;
import dev.sluice.localstack.ProducerRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Puts a run's events into its stream in the background at a steady rate, in PutRecords batches of
 * 500, so that a fault lands while events still arrive. Remembers every event id it stored.
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
    private final ReentrantLock putLock = new ReentrantLock();
    private final Set<String> ids = new HashSet<>();
    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(r -> new Thread(r, "chaos-event-feed"));
    private CompletableFuture<Void> done;

    EventFeed(KinesisProducer producer, String stream, int count, long seed, int ratePerSecond) {
        this.producer = producer;
        this.stream = stream;
        this.count = count;
        this.seed = seed;
        this.ratePerSecond = ratePerSecond;
    }

    void start() {
        done = CompletableFuture.runAsync(this::produce, thread);
    }

    private void produce() {
        DemoEvents events = new DemoEvents(count, seed);
        long startedAt = System.nanoTime();
        int sent = 0;
        while (events.hasNext()) {
            List<ProducerRecord> batch = new ArrayList<>(KinesisProducer.MAX_RECORDS_PER_REQUEST);
            List<String> batchIds = new ArrayList<>(KinesisProducer.MAX_RECORDS_PER_REQUEST);
            while (events.hasNext() && batch.size() < KinesisProducer.MAX_RECORDS_PER_REQUEST) {
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
            long due = startedAt + TimeUnit.SECONDS.toNanos(sent) / ratePerSecond;
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
