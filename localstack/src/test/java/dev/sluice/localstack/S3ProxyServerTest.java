package dev.sluice.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class S3ProxyServerTest {

    @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

    private static final int FIVE_MIB = 5 * 1024 * 1024;

    @Test
    void putListGetRoundTrip() {
        S3.createBucket("roundtrip");
        S3.putObject("roundtrip", "data/2024/01/01/00/part-1", bytes("first"));
        S3.putObject("roundtrip", "data/2024/01/01/00/part-2", bytes("second"));
        S3.putObject("roundtrip", "errors/processing-failed/part-1", bytes("bad"));

        assertThat(S3.listKeys("roundtrip", "data/"))
                .containsExactly("data/2024/01/01/00/part-1", "data/2024/01/01/00/part-2");
        assertThat(S3.listKeys("roundtrip", "")).hasSize(3);
        assertThat(S3.getObject("roundtrip", "data/2024/01/01/00/part-2"))
                .isEqualTo(bytes("second"));
    }

    /** What the chaos suite's S3 fault relies on: same endpoint, same objects, new process. */
    @Test
    void aKilledS3ProxyRestartsOnItsPortWithItsObjects(@TempDir Path workDir) {
        try (S3ProxyServer s3 = S3ProxyServer.start(workDir)) {
            s3.createBucket("kept");
            s3.putObject("kept", "data/part-1", bytes("first"));
            long killedPid = s3.process().pid();

            s3.kill();
            assertThat(s3.process().isAlive()).isFalse();
            s3.restart();

            assertThat(s3.process().pid()).isNotEqualTo(killedPid);
            s3.putObject("kept", "data/part-2", bytes("second"));
            assertThat(s3.listKeys("kept", "data/")).containsExactly("data/part-1", "data/part-2");
            assertThat(s3.getObject("kept", "data/part-1")).isEqualTo(bytes("first"));
        }
    }

    @Test
    void completesAMultipartUploadAndHidesItWhileInFlight() {
        S3.createBucket("multipart");
        S3Client client = S3.client();
        String key = "data/part-multipart-0";
        byte[] first = random(FIVE_MIB, 1);
        byte[] second = random(FIVE_MIB, 2);
        byte[] last = random(1234, 3); // Only the last part may be under 5 MiB, as with Flink.

        String uploadId =
                client.createMultipartUpload(r -> r.bucket("multipart").key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        byte[][] contents = {first, second, last};
        for (int i = 0; i < contents.length; i++) {
            int partNumber = i + 1;
            String eTag =
                    client.uploadPart(
                                    r ->
                                            r.bucket("multipart")
                                                    .key(key)
                                                    .uploadId(uploadId)
                                                    .partNumber(partNumber),
                                    RequestBody.fromBytes(contents[i]))
                            .eTag();
            parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
        }
        // Like S3, an unfinished upload is neither an object nor visible as its parts.
        assertThat(S3.listAllKeys("multipart", "")).isEmpty();
        assertThat(client.listMultipartUploads(r -> r.bucket("multipart")).uploads()).hasSize(1);

        client.completeMultipartUpload(
                r ->
                        r.bucket("multipart")
                                .key(key)
                                .uploadId(uploadId)
                                .multipartUpload(m -> m.parts(parts)));

        assertThat(S3.listAllKeys("multipart", "")).containsExactly(key);
        byte[] expected = new byte[first.length + second.length + last.length];
        System.arraycopy(first, 0, expected, 0, first.length);
        System.arraycopy(second, 0, expected, first.length, second.length);
        System.arraycopy(last, 0, expected, first.length + second.length, last.length);
        assertThat(S3.getObject("multipart", key)).isEqualTo(expected);
    }

    @Test
    void listKeysSkipsWhatFlinkLeavesBehind() {
        S3.createBucket("leftovers");
        List<String> leftovers =
                List.of(
                        "data/2024/01/01/00/_part-7c1e-0_tmp_5b7f0f7e-2a52-4b8a-9bd4-2c5c1f0f0e11",
                        "data/2024/01/01/00/.part-7c1e-1.inprogress.0e0c5bb4",
                        "data/_SUCCESS");
        String finished = "data/2024/01/01/00/part-7c1e-0";
        for (String key : leftovers) {
            S3.putObject("leftovers", key, bytes(key));
        }
        S3.putObject("leftovers", finished, bytes("ok"));

        assertThat(S3.listAllKeys("leftovers", "data/")).hasSize(4);
        assertThat(S3.listKeys("leftovers", "data/")).containsExactly(finished);
    }

    @Test
    void recognisesFinishedOutputByName() {
        assertThat(S3ProxyServer.isVisibleOutput("data/part-3a1b-0.gz")).isTrue();
        assertThat(S3ProxyServer.isVisibleOutput("part-3a1b-0")).isTrue();
        assertThat(S3ProxyServer.isVisibleOutput("data/_part-3a1b-0_tmp_uuid")).isFalse();
        assertThat(S3ProxyServer.isVisibleOutput("_part-3a1b-0_tmp_uuid")).isFalse();
        assertThat(S3ProxyServer.isVisibleOutput("data/.part-3a1b-0.inprogress.uuid")).isFalse();
        assertThat(S3ProxyServer.isVisibleOutput("data/2024/")).isFalse();
    }

    @Test
    void describesItselfToFlink() {
        assertThat(S3.flinkS3Configuration())
                .containsEntry("s3.endpoint", S3.endpoint())
                .containsEntry("s3.path.style.access", "true")
                .containsEntry("s3.access-key", S3.accessKey())
                .containsEntry("s3.secret-key", S3.secretKey());
        assertThat(S3.endpoint()).startsWith("http://127.0.0.1:");
        assertThat(S3.region()).isEqualTo("us-east-1");
    }

    @Test
    void storesObjectsUnderItsDataDirectoryAndIsGoneAfterClose(@TempDir Path workDir) {
        long pid;
        int port;
        try (S3ProxyServer server = S3ProxyServer.start(workDir)) {
            pid = server.process().pid();
            port = server.process().port();
            server.createBucket("own");
            server.putObject("own", "a/b", bytes("on disk"));
            assertThat(server.dataDirectory().resolve("own/a/b")).hasContent("on disk");
        }
        ManagedProcessTest.assertGone(pid);
        assertThat(ManagedProcessTest.accepts(port)).isFalse();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
