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
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes records to a stream with PutRecords the way a well-behaved producer does.
 *
 * <p>PutRecords is not atomic: a response can report some entries as failed (throttled by a shard,
 * or an internal error) while the others were stored. This producer
 *
 * <ul>
 *   <li>packs requests up to Kinesis' limits: 500 records and 5 MiB (keys plus payloads) each;
 *   <li>re-sends <em>only</em> the failed entries of a response (e.g. {@code
 *       ProvisionedThroughputExceededException}), with exponential backoff and jitter (a random
 *       wait between half and all of a delay that starts at {@link #DEFAULT_INITIAL_BACKOFF},
 *       doubles, and stops growing at {@link #MAX_BACKOFF}, so throttled producers do not retry in
 *       step), for at most {@code maxAttempts} sends of any entry, then fails loudly rather than
 *       dropping records;
 *   <li>optionally paces itself to a number of records per second, and reports each stored batch to
 *       a {@link Progress} listener;
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

    /** No limit on records per second. */
    public static final double DEFAULT_RECORDS_PER_SECOND = 0;

    /** Told after every PutRecords response. */
    public interface Progress {
        /**
         * @param stored records stored so far, over every {@code putAll} of this producer
         * @param retries entries re-sent so far because a response reported them failed
         */
        void update(long stored, long retries);
    }

    private final KinesisClient client;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final RateLimiter rateLimiter;
    private final Progress progress;
    private long stored;
    private long retries;

    /** A producer with {@link #DEFAULT_MAX_ATTEMPTS} and {@link #DEFAULT_INITIAL_BACKOFF}. */
    public KinesisProducer(KinesisClient client) {
        this(client, DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF);
    }

    public KinesisProducer(KinesisClient client, int maxAttempts, Duration initialBackoff) {
        this(builder(client).maxAttempts(maxAttempts).initialBackoff(initialBackoff));
    }

    private KinesisProducer(Builder builder) {
        this.client = builder.client;
        this.maxAttempts = builder.maxAttempts;
        this.initialBackoff = builder.initialBackoff;
        this.rateLimiter = builder.rateLimiter;
        this.progress = builder.progress;
    }

    public static Builder builder(KinesisClient client) {
        return new Builder(client);
    }

    /** Records stored so far. */
    public long stored() {
        return stored;
    }

    /** Entries re-sent so far because a response reported them failed. */
    public long retries() {
        return retries;
    }

    /** A producer's settings, each with the default named above. */
    public static final class Builder {
        private final KinesisClient client;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private RateLimiter rateLimiter = RateLimiter.perSecond(DEFAULT_RECORDS_PER_SECOND);
        private Progress progress = (stored, retries) -> {};

        private Builder(KinesisClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Sends of one entry before giving up; at least 1. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
            return this;
        }

        /** At most this many records per second on average; 0 for no limit. */
        public Builder recordsPerSecond(double recordsPerSecond) {
            this.rateLimiter = RateLimiter.perSecond(recordsPerSecond);
            return this;
        }

        Builder rateLimiter(RateLimiter rateLimiter) {
            this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
            return this;
        }

        public Builder progress(Progress progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        public KinesisProducer build() {
            return new KinesisProducer(this);
        }
    }

    /**
     * The wait before a retry: uniformly between half and all of {@code delay} ("equal jitter"), so
     * that producers throttled together do not all retry at the same moment.
     */
    static Duration withJitter(Duration delay, double random) {
        long half = delay.toMillis() / 2;
        return Duration.ofMillis(half + (long) (random * (delay.toMillis() - half)));
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
        rateLimiter.acquire(batch.size());
        for (int attempt = 1; ; attempt++) {
            final List<PutRecordsRequestEntry> entries = pending;
            PutRecordsResponse response =
                    client.putRecords(r -> r.streamName(stream).records(entries));
            List<PutRecordsResultEntry> results = response.records();
            Integer failedCount = response.failedRecordCount();
            if (failedCount == null || failedCount == 0) {
                this.stored += entries.size();
                progress.update(this.stored, retries);
                return stored + entries.size();
            }
            List<PutRecordsRequestEntry> failed = new ArrayList<>(failedCount);
            Map<String, Integer> errors = new TreeMap<>();
            for (int i = 0; i < entries.size(); i++) {
                String errorCode = results.get(i).errorCode();
                if (errorCode == null) {
                    stored++;
                    this.stored++;
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
            Duration wait = withJitter(backoff, ThreadLocalRandom.current().nextDouble());
            LOG.debug(
                    "PutRecords to {}: {} of {} entries failed ({}), retrying in {} ms",
                    stream,
                    failed.size(),
                    entries.size(),
                    errors,
                    wait.toMillis());
            retries += failed.size();
            progress.update(this.stored, retries);
            sleep(wait);
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
