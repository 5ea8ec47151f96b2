package dev.sluice.localstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-side administration of streams on a {@link KinesisEmulator}: create and wait, list shards,
 * produce, read back.
 *
 * <p>Uses an SDK v2 {@link KinesisClient} with the url-connection HTTP client (no Netty on the test
 * classpath), fixed credentials and the emulator's region.
 *
 * <p>SDK v2 talks CBOR to Kinesis by default, and kinesalite answers GetRecords in CBOR with
 * timestamps the SDK cannot parse ({@code Unable to parse date : 1.795327481317E9}; CreateStream
 * and PutRecords happen to work). So {@link #connect} sets the JVM-wide {@code
 * aws.cborEnabled=false} (SDK 2.20 has no per-client switch) unless the property was set
 * explicitly. JSON works with kinesis-mock and real Kinesis too.
 */
public final class KinesisStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisStreams.class);

    static final String CBOR_PROPERTY = "aws.cborEnabled";

    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);

    private final KinesisClient client;

    private KinesisStreams(KinesisClient client) {
        this.client = client;
    }

    /** A client for {@code emulator}; close it when done. */
    public static KinesisStreams connect(KinesisEmulator emulator) {
        return connect(
                emulator.endpoint(), emulator.region(), emulator.accessKey(), emulator.secretKey());
    }

    /** A client for any Kinesis endpoint with static credentials; close it when done. */
    public static KinesisStreams connect(
            String endpoint, String region, String accessKey, String secretKey) {
        disableCbor();
        KinesisClient client =
                KinesisClient.builder()
                        .endpointOverride(URI.create(endpoint))
                        .region(Region.of(region))
                        .credentialsProvider(
                                StaticCredentialsProvider.create(
                                        AwsBasicCredentials.create(accessKey, secretKey)))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build();
        return new KinesisStreams(client);
    }

    /** Sets {@code aws.cborEnabled=false} unless someone chose a value already. */
    static void disableCbor() {
        if (System.getProperty(CBOR_PROPERTY) == null) {
            System.setProperty(CBOR_PROPERTY, "false");
        }
    }

    public KinesisClient client() {
        return client;
    }

    /** A producer sending through this client. */
    public KinesisProducer producer() {
        return new KinesisProducer(client);
    }

    /** Creates a provisioned stream and waits until it is ACTIVE. */
    public void createStream(String stream, int shardCount) {
        client.createStream(r -> r.streamName(stream).shardCount(shardCount));
        long deadline = System.nanoTime() + CREATE_TIMEOUT.toNanos();
        while (true) {
            StreamStatus status =
                    client.describeStreamSummary(r -> r.streamName(stream))
                            .streamDescriptionSummary()
                            .streamStatus();
            if (status == StreamStatus.ACTIVE) {
                LOG.debug("Stream {} with {} shards is active", stream, shardCount);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "Stream " + stream + " is still " + status + " after " + CREATE_TIMEOUT);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(
                        "Interrupted while waiting for stream " + stream, e);
            }
        }
    }

    /** The ARN the emulator gave {@code stream}, by which the FLIP-27 source addresses it. */
    public String streamArn(String stream) {
        return client.describeStreamSummary(r -> r.streamName(stream))
                .streamDescriptionSummary()
                .streamARN();
    }

    /** The ids of all shards of a stream (open and closed), in the order the service lists them. */
    public List<String> shardIds(String stream) {
        List<String> ids = new ArrayList<>();
        String nextToken = null;
        do {
            final String token = nextToken;
            var response =
                    client.listShards(
                            r -> {
                                if (token == null) {
                                    r.streamName(stream);
                                } else {
                                    r.nextToken(token);
                                }
                            });
            response.shards().stream().map(Shard::shardId).forEach(ids::add);
            nextToken = response.nextToken();
        } while (nextToken != null);
        return ids;
    }

    /**
     * Reads one shard from TRIM_HORIZON up to its current end: until GetRecords returns nothing and
     * reports the reader caught up ({@code MillisBehindLatest} 0), or the shard is closed.
     */
    public List<Record> readShard(String stream, String shardId) {
        List<Record> records = new ArrayList<>();
        String iterator =
                client.getShardIterator(
                                r ->
                                        r.streamName(stream)
                                                .shardId(shardId)
                                                .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                        .shardIterator();
        while (iterator != null) {
            final String current = iterator;
            GetRecordsResponse response =
                    client.getRecords(r -> r.shardIterator(current).limit(10_000));
            records.addAll(response.records());
            Long behind = response.millisBehindLatest();
            if (response.records().isEmpty() && (behind == null || behind == 0)) {
                break;
            }
            iterator = response.nextShardIterator();
        }
        return records;
    }

    /** {@link #readShard} for every shard of the stream, shard by shard. */
    public List<Record> readAll(String stream) {
        List<Record> records = new ArrayList<>();
        for (String shardId : shardIds(stream)) {
            records.addAll(readShard(stream, shardId));
        }
        return records;
    }

    @Override
    public void close() {
        client.close();
    }
}
