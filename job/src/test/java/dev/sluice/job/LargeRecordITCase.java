package dev.sluice.job;

import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.TransformOptions;
import dev.sluice.job.config.WarehouseOptions;
import dev.sluice.localstack.KinesisEmulator;
import dev.sluice.localstack.UseKinesisEmulator;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 5 MiB record through the whole path: a kinesis-local stream whose maximum record size is raised
 * to 10 MiB ({@code UpdateMaxRecordSize}), the default {@code POLLING} source, the default
 * transform chain ({@code max-size,json}) with {@code max.record.bytes} at 10 MiB, JSON staging on
 * S3Proxy and the load into PostgreSQL. Passes when the table holds the large record's 5 MiB field
 * byte for byte, and the small records beside it, each once.
 */
@UseKinesisEmulator(KinesisEmulator.Kind.KINESIS_LOCAL)
class LargeRecordITCase extends LocalStackTestBase {

    private static final int LARGE_FIELD_CHARS = 5 * 1024 * 1024;
    private static final String BUCKET = "sluice-large-records";
    private static final long TIMEOUT_SECONDS = 120;

    @Test
    void aFiveMebibyteRecordIsLoadedWhole() throws Exception {
        String stream = "large-records";
        String schema = "large_records";
        String table = schema + ".user_events";
        S3.createBucket(BUCKET);
        POSTGRES.execute("CREATE SCHEMA " + schema);
        POSTGRES.execute("CREATE TABLE " + table + " (event_id VARCHAR(64), padding TEXT)");
        KINESIS.streams().createStream(stream, 1);
        raiseMaxRecordSize(stream, 10_240);

        String padding = "p".repeat(LARGE_FIELD_CHARS);
        put(stream, "small-1", "{\"event_id\":\"small-1\",\"padding\":\"s\"}");
        put(stream, "large-1", "{\"event_id\":\"large-1\",\"padding\":\"" + padding + "\"}");
        put(stream, "small-2", "{\"event_id\":\"small-2\",\"padding\":\"s\"}");

        Map<String, Properties> groups = demoJobConfig(stream, BUCKET, "large/", schema, 1_000L);
        groups.get(WarehouseOptions.GROUP)
                .setProperty(WarehouseOptions.COLUMNS.key(), "event_id,padding");
        Properties transform = new Properties();
        transform.setProperty(TransformOptions.MAX_RECORD_BYTES.key(), "10485760");
        groups.put(TransformOptions.GROUP, transform);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(1_000L);
        SluicePipeline.build(env, SluiceConfig.from(groups));
        JobClient job = env.executeAsync("large records");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (POSTGRES.queryLong("SELECT count(*) FROM " + table) < 3) {
                assertThat(System.nanoTime()).as("3 rows in time").isLessThan(deadline);
                assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState())
                        .isFalse();
                Thread.sleep(500);
            }
            Thread.sleep(3_000);
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        assertThat(
                        POSTGRES.query(
                                "SELECT event_id, length(padding)::text, md5(padding) FROM "
                                        + table
                                        + " ORDER BY event_id"))
                .containsExactly(
                        List.of("large-1", Integer.toString(LARGE_FIELD_CHARS), md5(padding)),
                        List.of("small-1", "1", md5("s")),
                        List.of("small-2", "1", md5("s")));
    }

    private static void put(String stream, String key, String json) {
        KINESIS.streams()
                .client()
                .putRecord(
                        r ->
                                r.streamName(stream)
                                        .partitionKey(key)
                                        .data(SdkBytes.fromUtf8String(json)));
    }

    /**
     * {@code UpdateMaxRecordSize} as a plain AWS JSON 1.1 request: the SDK version here (2.20)
     * predates that API, and the emulator checks no signature.
     */
    private static void raiseMaxRecordSize(String stream, int kib) throws Exception {
        String arn = streamArn(stream);
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(KINESIS.endpoint()))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .header("X-Amz-Target", "Kinesis_20131202.UpdateMaxRecordSize")
                        .header(
                                "Authorization",
                                "AWS4-HMAC-SHA256 Credential=test/20260101/"
                                        + KINESIS.region()
                                        + "/kinesis/aws4_request, SignedHeaders=host,"
                                        + " Signature=unsigned")
                        .header("X-Amz-Date", "20260101T000000Z")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"StreamARN\":\""
                                                + arn
                                                + "\",\"MaxRecordSizeInKiB\":"
                                                + kib
                                                + "}"))
                        .build();
        HttpResponse<String> response =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()
                        .send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static String md5(String s) throws Exception {
        byte[] digest =
                java.security.MessageDigest.getInstance("MD5")
                        .digest(s.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder();
        for (byte b : digest) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
