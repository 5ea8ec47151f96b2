package dev.sluice.localstack;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Batching and partial-failure retries, which the emulators never exercise (they do not throttle).
 */
class KinesisProducerTest {

    @Test
    void batchesAtMost500RecordsPerRequest() {
        FakeKinesis kinesis = new FakeKinesis((attempt, entry) -> false);

        int stored = producer(kinesis, 3).putAll("s", records(1234, 10).iterator());

        assertThat(stored).isEqualTo(1234);
        assertThat(kinesis.requestSizes()).containsExactly(500, 500, 234);
    }

    @Test
    void batchesAtMost5MiBPerRequest() {
        FakeKinesis kinesis = new FakeKinesis((attempt, entry) -> false);
        // 600 KiB each (2-byte key + data): 8 fit in 5 MiB, the 9th would not.
        int stored = producer(kinesis, 3).putAll("s", records(11, 600 * 1024 - 2).iterator());

        assertThat(stored).isEqualTo(11);
        assertThat(kinesis.requestSizes()).containsExactly(8, 3);
        assertThat(kinesis.requests)
                .allSatisfy(
                        r ->
                                assertThat(bytes(r))
                                        .isLessThanOrEqualTo(
                                                KinesisProducer.MAX_BYTES_PER_REQUEST));
    }

    @Test
    void resendsOnlyTheFailedEntries() {
        // Every third entry is throttled on its first send.
        FakeKinesis kinesis =
                new FakeKinesis((attempt, entry) -> attempt == 0 && index(entry) % 3 == 0);

        int stored = producer(kinesis, 3).putAll("s", records(30, 10));

        assertThat(stored).isEqualTo(30);
        assertThat(kinesis.requestSizes()).containsExactly(30, 10);
        assertThat(kinesis.requests.get(1).records().stream().map(KinesisProducerTest::index))
                .allMatch(i -> i % 3 == 0);
        assertThat(kinesis.stored).hasSize(30).doesNotHaveDuplicates();
    }

    @Test
    void countsRetriesAndReportsProgressAfterEveryResponse() {
        FakeKinesis kinesis =
                new FakeKinesis((attempt, entry) -> attempt == 0 && index(entry) % 5 == 0);
        List<long[]> updates = new ArrayList<>();
        KinesisProducer producer =
                KinesisProducer.builder(kinesis)
                        .initialBackoff(Duration.ofMillis(1))
                        .progress((stored, retries) -> updates.add(new long[] {stored, retries}))
                        .build();

        producer.putAll("s", records(600, 10));

        assertThat(producer.stored()).isEqualTo(600);
        // 100 of the first 500 and 20 of the next 100 failed once.
        assertThat(producer.retries()).isEqualTo(120);
        assertThat(updates)
                .extracting(u -> u[0] + "/" + u[1])
                .containsExactly("400/100", "500/100", "580/120", "600/120");
    }

    @Test
    void retryWaitsAreJitteredBetweenHalfAndAllOfTheBackoff() {
        Duration backoff = Duration.ofMillis(800);

        assertThat(KinesisProducer.withJitter(backoff, 0.0)).isEqualTo(Duration.ofMillis(400));
        assertThat(KinesisProducer.withJitter(backoff, 0.5)).isEqualTo(Duration.ofMillis(600));
        assertThat(KinesisProducer.withJitter(backoff, 0.999999))
                .isBetween(Duration.ofMillis(799), Duration.ofMillis(800));
    }

    @Test
    void failsLoudlyAfterTheLastAttempt() {
        FakeKinesis kinesis = new FakeKinesis((attempt, entry) -> index(entry) == 7);

        assertThatThrownBy(() -> producer(kinesis, 3).putAll("s", records(10, 10)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        "1 of 10 records were not stored in stream s after 3 attempts")
                .hasMessageContaining("ProvisionedThroughputExceededException=1");
        assertThat(kinesis.requestSizes()).containsExactly(10, 1, 1);
    }

    @Test
    void rejectsRecordsOver1MiB() {
        FakeKinesis kinesis = new FakeKinesis((attempt, entry) -> false);
        List<ProducerRecord> records = List.of(new ProducerRecord("k", new byte[1024 * 1024]));

        assertThatThrownBy(() -> producer(kinesis, 3).putAll("s", records))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 1 MiB");
        assertThat(kinesis.requests).isEmpty();
    }

    private static KinesisProducer producer(FakeKinesis kinesis, int maxAttempts) {
        return new KinesisProducer(kinesis, maxAttempts, Duration.ofMillis(1));
    }

    /** Records whose partition keys are their indexes, padded to {@code dataSize} bytes of data. */
    private static List<ProducerRecord> records(int count, int dataSize) {
        return IntStream.range(0, count)
                .mapToObj(i -> new ProducerRecord(String.format("%02d", i), new byte[dataSize]))
                .collect(Collectors.toList());
    }

    private static int index(PutRecordsRequestEntry entry) {
        return Integer.parseInt(entry.partitionKey());
    }

    private static long bytes(PutRecordsRequest request) {
        return request.records().stream()
                .mapToLong(e -> e.partitionKey().length() + e.data().asByteArray().length)
                .sum();
    }

    /**
     * Answers PutRecords, failing the entries a predicate of (send attempt of that entry, entry)
     * picks.
     */
    private static final class FakeKinesis implements KinesisClient {
        private final BiPredicate<Integer, PutRecordsRequestEntry> fails;
        final List<PutRecordsRequest> requests = new ArrayList<>();
        final List<String> stored = new ArrayList<>();
        private final java.util.Map<String, Integer> attempts = new java.util.HashMap<>();

        FakeKinesis(BiPredicate<Integer, PutRecordsRequestEntry> fails) {
            this.fails = fails;
        }

        @Override
        public PutRecordsResponse putRecords(PutRecordsRequest request) {
            requests.add(request);
            List<PutRecordsResultEntry> results = new ArrayList<>();
            int failed = 0;
            for (PutRecordsRequestEntry entry : request.records()) {
                int attempt = attempts.merge(entry.partitionKey(), 1, Integer::sum) - 1;
                if (fails.test(attempt, entry)) {
                    failed++;
                    results.add(
                            PutRecordsResultEntry.builder()
                                    .errorCode("ProvisionedThroughputExceededException")
                                    .errorMessage("Rate exceeded for shard")
                                    .build());
                } else {
                    stored.add(entry.partitionKey());
                    results.add(
                            PutRecordsResultEntry.builder()
                                    .shardId("shardId-0")
                                    .sequenceNumber("1")
                                    .build());
                }
            }
            return PutRecordsResponse.builder().failedRecordCount(failed).records(results).build();
        }

        List<Integer> requestSizes() {
            return requests.stream().map(r -> r.records().size()).collect(Collectors.toList());
        }

        @Override
        public String serviceName() {
            return "kinesis";
        }

        @Override
        public void close() {}
    }
}
