package dev.sluice.localstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Firehose endpoint as the real SDK v2 client sees it, writing to a real S3Proxy. */
class FirehoseServerTest {

    private static final String BUCKET = "firehose-endpoint-test";

    @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

    @RegisterExtension
    static final FirehoseEndpointExtension FIREHOSE = new FirehoseEndpointExtension(S3);

    private static FirehoseClient client;

    @BeforeAll
    static void connect() {
        S3.createBucket(BUCKET);
        client =
                FirehoseClient.builder()
                        .endpointOverride(URI.create(FIREHOSE.server().endpoint()))
                        .region(Region.of(FIREHOSE.server().region()))
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create("test", "test")))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void aBatchBecomesOneObjectWithTheRecordsAsReceived() {
        FIREHOSE.server().createDeliveryStream("batch", BUCKET, "batch/");

        PutRecordBatchResponse response = put("batch", List.of("a\n", "bb\n", "ccc\n"));

        assertThat(response.failedPutCount()).isZero();
        assertThat(response.requestResponses())
                .allSatisfy(r -> assertThat(r.recordId()).isNotNull());
        List<String> keys = S3.server().listKeys(BUCKET, "batch/");
        assertThat(keys)
                .singleElement()
                .satisfies(
                        k ->
                                assertThat(k)
                                        .matches(
                                                "batch/\\d{4}/\\d{2}/\\d{2}/\\d{2}/batch-1-"
                                                        + "\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-.+"));
        assertThat(new String(S3.server().getObject(BUCKET, keys.get(0)), StandardCharsets.UTF_8))
                .isEqualTo("a\nbb\nccc\n");
    }

    @Test
    void injectedFailuresAreReportedPerEntryAndNotStored() {
        FIREHOSE.server().createDeliveryStream("partial", BUCKET, "partial/");
        FIREHOSE.server().failEntries(0.5, 3, 7L);
        try {
            List<String> lines =
                    IntStream.range(0, 20).mapToObj(i -> i + "\n").collect(Collectors.toList());

            PutRecordBatchResponse response = put("partial", lines);

            assertThat(response.failedPutCount()).isEqualTo(3);
            List<PutRecordBatchResponseEntry> entries = response.requestResponses();
            assertThat(entries).hasSize(20);
            assertThat(entries.stream().filter(e -> e.errorCode() != null))
                    .hasSize(3)
                    .allSatisfy(
                            e -> assertThat(e.errorCode()).isEqualTo(FirehoseServer.FAILURE_CODE));
            String stored =
                    new String(
                            S3.server()
                                    .getObject(
                                            BUCKET,
                                            S3.server().listKeys(BUCKET, "partial/").get(0)),
                            StandardCharsets.UTF_8);
            String expected =
                    IntStream.range(0, 20)
                            .filter(i -> entries.get(i).errorCode() == null)
                            .mapToObj(i -> i + "\n")
                            .collect(Collectors.joining());
            assertThat(stored).isEqualTo(expected);
        } finally {
            FIREHOSE.server().failEntries(0, 0, 0L);
        }
    }

    @Test
    void describesAnExistingStreamAsActive() {
        FIREHOSE.server().createDeliveryStream("described", BUCKET, "described/");

        assertThat(
                        client.describeDeliveryStream(b -> b.deliveryStreamName("described"))
                                .deliveryStreamDescription()
                                .deliveryStreamStatus())
                .isEqualTo(DeliveryStreamStatus.ACTIVE);
    }

    @Test
    void putRecordStoresOneRecord() {
        FIREHOSE.server().createDeliveryStream("single", BUCKET, "single/");

        client.putRecord(
                b ->
                        b.deliveryStreamName("single")
                                .record(r -> r.data(SdkBytes.fromUtf8String("one\n"))));

        assertThat(S3.server().listKeys(BUCKET, "single/")).hasSize(1);
    }

    @Test
    void anUnknownStreamAndAnOversizedBatchAreRejectedAsFirehoseRejectsThem() {
        assertThatThrownBy(() -> put("no-such-stream", List.of("x")))
                .isInstanceOf(ResourceNotFoundException.class);
        FIREHOSE.server().createDeliveryStream("limits", BUCKET, "limits/");
        List<String> tooMany =
                IntStream.range(0, 501).mapToObj(i -> "r").collect(Collectors.toList());
        assertThatThrownBy(() -> put("limits", tooMany))
                .isInstanceOf(InvalidArgumentException.class);
    }

    private static PutRecordBatchResponse put(String stream, List<String> records) {
        return client.putRecordBatch(
                b ->
                        b.deliveryStreamName(stream)
                                .records(
                                        records.stream()
                                                .map(
                                                        r ->
                                                                Record.builder()
                                                                        .data(
                                                                                SdkBytes
                                                                                        .fromUtf8String(
                                                                                                r))
                                                                        .build())
                                                .collect(Collectors.toList())));
    }
}
