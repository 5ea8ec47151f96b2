package dev.sluice.localstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes records to a stream with PutRecords the way a well-behaved producer does.
 *
 * <p>PutRecords is not atomic: a response can report some entries as failed (throttled by a shard,
 * or an internal error) while the others were stored. This producer
 *
 * <ul>
 *   <li>packs requests up to Kinesis' limits: 500 records and 5 MiB (keys plus payloads) each;
 *   <li>re-sends <em>only</em> the failed entries of a response, with exponential backoff (starting
 *       at {@link #DEFAULT_INITIAL_BACKOFF}, doubling, at most {@link #MAX_BACKOFF}), for at most
 *       {@code maxAttempts} sends of any entry, then fails loudly rather than dropping records;
 *   <li>leaves whole-request failures (connection errors, 5xx, request throttling) to the SDK
 *       client's own retry policy.
 * </ul>
 *
 * <p>A retried entry lands after entries sent later in the same request, so order per partition key
 * holds only when nothing is retried — as with any PutRecords producer.
 */
public final class KinesisProducer {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisProducer.class);

    public static final int MAX_RECORDS_PER_REQUEST = 500;
    public static final int MAX_BYTES_PER_REQUEST = 5 * 1024 * 1024;
    public static final int MAX_BYTES_PER_RECORD = 1024 * 1024;

    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final KinesisClient client;
    private final int maxAttempts;
    private final Duration initialBackoff;

    /** A producer with {@link #DEFAULT_MAX_ATTEMPTS} and {@link #DEFAULT_INITIAL_BACKOFF}. */
    public KinesisProducer(KinesisClient client) {
        this(client, DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF);
    }

    public KinesisProducer(KinesisClient client, int maxAttempts, Duration initialBackoff) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.client = Objects.requireNonNull(client, "client");
        this.maxAttempts = maxAttempts;
        this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
    }

    /**
     * Puts every record, in batches, and returns how many were stored (all of them, or this method
     * throws).
     *
     * @throws IllegalArgumentException if a record exceeds 1 MiB (nothing of it is sent)
     * @throws IllegalStateException if some entries still fail after {@code maxAttempts} sends; the
     *     records of earlier batches are stored by then
     */
    public int putAll(String stream, Iterator<ProducerRecord> records) {
        int stored = 0;
        List<ProducerRecord> batch = new ArrayList<>(MAX_RECORDS_PER_REQUEST);
        int batchBytes = 0;
        while (records.hasNext()) {
            ProducerRecord record = records.next();
            int size = record.size();
            if (size > MAX_BYTES_PER_RECORD) {
                throw new IllegalArgumentException(
                        "A Kinesis record holds at most 1 MiB (key plus data), this one has "
                                + size
                                + " bytes (partition key "
                                + record.partitionKey()
                                + ")");
            }
            if (batch.size() == MAX_RECORDS_PER_REQUEST
                    || batchBytes + size > MAX_BYTES_PER_REQUEST) {
                stored += putBatch(stream, batch);
                batch = new ArrayList<>(MAX_RECORDS_PER_REQUEST);
                batchBytes = 0;
            }
            batch.add(record);
            batchBytes += size;
        }
        if (!batch.isEmpty()) {
            stored += putBatch(stream, batch);
        }
        return stored;
    }

    /** Convenience for {@link #putAll(String, Iterator)}. */
    public int putAll(String stream, Iterable<ProducerRecord> records) {
        return putAll(stream, records.iterator());
    }

    private int putBatch(String stream, List<ProducerRecord> batch) {
        List<PutRecordsRequestEntry> pending = new ArrayList<>(batch.size());
        for (ProducerRecord record : batch) {
            pending.add(
                    PutRecordsRequestEntry.builder()
                            .partitionKey(record.partitionKey())
                            .data(SdkBytes.fromByteArrayUnsafe(record.data()))
                            .build());
        }
        int stored = 0;
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            final List<PutRecordsRequestEntry> entries = pending;
            PutRecordsResponse response =
                    client.putRecords(r -> r.streamName(stream).records(entries));
            List<PutRecordsResultEntry> results = response.records();
            Integer failedCount = response.failedRecordCount();
            if (failedCount == null || failedCount == 0) {
                return stored + entries.size();
            }
            List<PutRecordsRequestEntry> failed = new ArrayList<>(failedCount);
            Map<String, Integer> errors = new TreeMap<>();
            for (int i = 0; i < entries.size(); i++) {
                String errorCode = results.get(i).errorCode();
                if (errorCode == null) {
                    stored++;
                } else {
                    failed.add(entries.get(i));
                    errors.merge(errorCode, 1, Integer::sum);
                }
            }
            if (attempt >= maxAttempts) {
                throw new IllegalStateException(
                        failed.size()
                                + " of "
                                + batch.size()
                                + " records were not stored in stream "
                                + stream
                                + " after "
                                + attempt
                                + " attempts; last errors: "
                                + errors);
            }
            LOG.debug(
                    "PutRecords to {}: {} of {} entries failed ({}), retrying in {} ms",
                    stream,
                    failed.size(),
                    entries.size(),
                    errors,
                    backoff.toMillis());
            sleep(backoff);
            backoff =
                    backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                            ? MAX_BACKOFF
                            : backoff.multipliedBy(2);
            pending = failed;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while backing off between PutRecords", e);
        }
    }
}
