package dev.sluice.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal Amazon Data Firehose endpoint for tests and local runs: no Firehose emulator is served
 * on npm or Maven Central, so this one speaks just enough of the real API for flink-connector-aws's
 * {@code KinesisFirehoseSink} (SDK v2 {@code FirehoseAsyncClient} with an endpoint override).
 *
 * <h2>What it does</h2>
 *
 * <ul>
 *   <li>HTTP on 127.0.0.1, AWS JSON 1.1 ({@code X-Amz-Target: Firehose_20150804.<Operation>}),
 *       record data base64 in the JSON, as the SDK sends it. Signatures are not checked.
 *   <li>{@code PutRecordBatch} and {@code PutRecord} into a delivery stream created with {@link
 *       #createDeliveryStream}; {@code DescribeDeliveryStream} reports it {@code ACTIVE}. Other
 *       operations answer {@code UnknownOperationException}, an unknown stream {@code
 *       ResourceNotFoundException}, a batch over Firehose's limits (500 records, 4 MiB, 1,000 KiB a
 *       record) {@code InvalidArgumentException}.
 *   <li>Each accepted request becomes <em>one</em> S3 object under the stream's prefix, {@code
 *       <prefix>YYYY/MM/dd/HH/<stream>-1-<yyyy-MM-dd-HH-mm-ss>-<uuid>} (UTC), holding the stored
 *       records' bytes concatenated exactly as received, without delimiters: what Firehose's S3
 *       destination writes, minus its buffering (one object per request, not per buffer).
 *   <li>Partial failures on demand ({@link #failEntries}): chosen entries answer {@code
 *       ServiceUnavailableException} with the response's {@code FailedPutCount} set, as Firehose
 *       does when throttled, and are not stored.
 * </ul>
 */
public final class FirehoseServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FirehoseServer.class);

    public static final String TARGET_PREFIX = "Firehose_20150804.";
    public static final int MAX_RECORDS_PER_BATCH = 500;
    public static final int MAX_BYTES_PER_BATCH = 4 * 1024 * 1024;
    public static final int MAX_BYTES_PER_RECORD = 1000 * 1024;
    public static final String FAILURE_CODE = "ServiceUnavailableException";

    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "000000000000";
    private static final DateTimeFormatter HOUR_PATH =
            DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/");
    private static final DateTimeFormatter OBJECT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a delivery stream writes. */
    private record Destination(String bucket, String prefix) {}

    private final HttpServer server;
    private final ExecutorService executor;
    private final S3Client s3;
    private final Map<String, Destination> streams = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong storedRecords = new AtomicLong();
    private final AtomicLong failedEntries = new AtomicLong();

    private final Object failureLock = new Object();
    private double failureFraction;
    private long failuresLeft;
    private Random failureRandom = new Random(0);

    private FirehoseServer(HttpServer server, ExecutorService executor, S3Client s3) {
        this.server = server;
        this.executor = executor;
        this.s3 = s3;
    }

    /**
     * Starts the endpoint on a free loopback port.
     *
     * @param s3 where delivery streams write (an S3Proxy client); not closed by this server
     */
    public static FirehoseServer start(S3Client s3) {
        Objects.requireNonNull(s3, "s3");
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(FreePorts.LOOPBACK, 0), 0);
            ExecutorService executor = Executors.newFixedThreadPool(4);
            FirehoseServer firehose = new FirehoseServer(http, executor, s3);
            http.createContext("/", firehose::handle);
            http.setExecutor(executor);
            http.start();
            LOG.info("Firehose endpoint listening on {}", firehose.endpoint());
            return firehose;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Firehose endpoint", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, for an SDK endpoint override. */
    public String endpoint() {
        return "http://" + FreePorts.LOOPBACK + ":" + server.getAddress().getPort();
    }

    public String region() {
        return REGION;
    }

    /** A DirectPut delivery stream writing to {@code s3://bucket/prefix…}. */
    public void createDeliveryStream(String name, String bucket, String prefix) {
        streams.put(name, new Destination(bucket, prefix));
    }

    /**
     * From now on, each entry fails with probability {@code fraction} (a seeded, repeatable draw)
     * until {@code maxFailures} entries have failed; {@code failEntries(0, 0)} stops failing.
     */
    public void failEntries(double fraction, long maxFailures, long seed) {
        if (fraction < 0 || fraction > 1 || maxFailures < 0) {
            throw new IllegalArgumentException("fraction must be 0–1 and maxFailures at least 0");
        }
        synchronized (failureLock) {
            failureFraction = fraction;
            failuresLeft = maxFailures;
            failureRandom = new Random(seed);
        }
    }

    /** Put requests answered with HTTP 200 (PutRecordBatch and PutRecord). */
    public long requests() {
        return requests.get();
    }

    /** Records written to S3. */
    public long storedRecords() {
        return storedRecords.get();
    }

    /** Entries answered with an error code. */
    public long failedEntries() {
        return failedEntries.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String operation =
                    target != null && target.startsWith(TARGET_PREFIX)
                            ? target.substring(TARGET_PREFIX.length())
                            : String.valueOf(target);
            try {
                JsonNode response =
                        switch (operation) {
                            case "PutRecordBatch" -> putRecordBatch(request);
                            case "PutRecord" -> putRecord(request);
                            case "DescribeDeliveryStream" -> describe(request);
                            default ->
                                    throw new ApiError(
                                            "UnknownOperationException",
                                            "unsupported: " + operation);
                        };
                respond(exchange, 200, response);
            } catch (ApiError e) {
                ObjectNode error = JSON.createObjectNode();
                error.put("__type", e.type);
                error.put("message", e.getMessage());
                respond(exchange, 400, error);
            }
        } catch (RuntimeException e) {
            LOG.warn("Firehose endpoint failed a request", e);
            throw e;
        }
    }

    private JsonNode putRecordBatch(JsonNode request) {
        String name = request.path("DeliveryStreamName").asText();
        Destination destination = destination(name);
        JsonNode records = request.path("Records");
        if (records.size() < 1 || records.size() > MAX_RECORDS_PER_BATCH) {
            throw new ApiError(
                    "InvalidArgumentException",
                    "Records has " + records.size() + " entries, allowed 1–500");
        }
        byte[][] data = new byte[records.size()][];
        long total = 0;
        for (int i = 0; i < data.length; i++) {
            data[i] = record(records.get(i));
            total += data[i].length;
        }
        if (total > MAX_BYTES_PER_BATCH) {
            throw new ApiError(
                    "InvalidArgumentException", "the batch has " + total + " bytes, over 4 MiB");
        }
        ArrayNode responses = JSON.createArrayNode();
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        int failed = 0;
        int storedCount = 0;
        for (byte[] entry : data) {
            ObjectNode result = responses.addObject();
            if (failNow()) {
                failed++;
                result.put("ErrorCode", FAILURE_CODE);
                result.put("ErrorMessage", "Slow down (injected by the test endpoint)");
            } else {
                stored.writeBytes(entry);
                storedCount++;
                result.put("RecordId", UUID.randomUUID().toString());
            }
        }
        if (storedCount > 0) {
            write(name, destination, stored.toByteArray());
        }
        requests.incrementAndGet();
        storedRecords.addAndGet(storedCount);
        failedEntries.addAndGet(failed);
        ObjectNode response = JSON.createObjectNode();
        response.put("FailedPutCount", failed);
        response.put("Encrypted", false);
        response.set("RequestResponses", responses);
        return response;
    }

    private JsonNode putRecord(JsonNode request) {
        String name = request.path("DeliveryStreamName").asText();
        Destination destination = destination(name);
        byte[] data = record(request.path("Record"));
        if (failNow()) {
            failedEntries.incrementAndGet();
            throw new ApiError(FAILURE_CODE, "Slow down (injected by the test endpoint)");
        }
        write(name, destination, data);
        requests.incrementAndGet();
        storedRecords.incrementAndGet();
        ObjectNode response = JSON.createObjectNode();
        response.put("RecordId", UUID.randomUUID().toString());
        response.put("Encrypted", false);
        return response;
    }

    private JsonNode describe(JsonNode request) {
        String name = request.path("DeliveryStreamName").asText();
        Destination destination = destination(name);
        ObjectNode description = JSON.createObjectNode();
        description.put("DeliveryStreamName", name);
        description.put(
                "DeliveryStreamARN",
                "arn:aws:firehose:" + REGION + ":" + ACCOUNT + ":deliverystream/" + name);
        description.put("DeliveryStreamStatus", "ACTIVE");
        description.put("DeliveryStreamType", "DirectPut");
        description.put("VersionId", "1");
        ObjectNode s3 =
                description
                        .putArray("Destinations")
                        .addObject()
                        .put("DestinationId", "destinationId-000000000001")
                        .putObject("ExtendedS3DestinationDescription");
        s3.put("RoleARN", "arn:aws:iam::" + ACCOUNT + ":role/firehose-local");
        s3.put("BucketARN", "arn:aws:s3:::" + destination.bucket());
        s3.put("Prefix", destination.prefix());
        s3.put("CompressionFormat", "UNCOMPRESSED");
        description.put("HasMoreDestinations", false);
        ObjectNode response = JSON.createObjectNode();
        response.set("DeliveryStreamDescription", description);
        return response;
    }

    private Destination destination(String name) {
        Destination destination = streams.get(name);
        if (destination == null) {
            throw new ApiError(
                    "ResourceNotFoundException",
                    "Firehose " + name + " under account " + ACCOUNT + " not found.");
        }
        return destination;
    }

    private static byte[] record(JsonNode record) {
        byte[] data;
        try {
            data = Base64.getDecoder().decode(record.path("Data").asText());
        } catch (IllegalArgumentException e) {
            throw new ApiError("SerializationException", "Data is not base64");
        }
        if (data.length > MAX_BYTES_PER_RECORD) {
            throw new ApiError(
                    "InvalidArgumentException",
                    "a record has " + data.length + " bytes, over 1,000 KiB");
        }
        return data;
    }

    private boolean failNow() {
        synchronized (failureLock) {
            if (failuresLeft > 0 && failureRandom.nextDouble() < failureFraction) {
                failuresLeft--;
                return true;
            }
            return false;
        }
    }

    private void write(String stream, Destination destination, byte[] content) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String key =
                destination.prefix()
                        + HOUR_PATH.format(now)
                        + stream
                        + "-1-"
                        + OBJECT_TIME.format(now)
                        + "-"
                        + UUID.randomUUID();
        s3.putObject(b -> b.bucket(destination.bucket()).key(key), RequestBody.fromBytes(content));
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body)
            throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "Firehose endpoint " + endpoint();
    }

    /** An error the API answers with HTTP 400 and its {@code __type}. */
    private static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String type;

        ApiError(String type, String message) {
            super(message);
            this.type = type;
        }
    }
}
