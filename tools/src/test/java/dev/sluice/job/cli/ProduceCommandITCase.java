package dev.sluice.job.cli;

import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.KinesisEmulatorExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.model.Record;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./sluice produce} against kinesalite: what it puts is read back exactly, record for
 * record. Credentials come from the SDK's default chain (here its system properties), as they would
 * for a user.
 */
class ProduceCommandITCase {

    @RegisterExtension
    static final KinesisEmulatorExtension KINESIS = new KinesisEmulatorExtension();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void credentialsFromTheDefaultChain() {
        System.setProperty("aws.accessKeyId", KINESIS.emulator().accessKey());
        System.setProperty("aws.secretAccessKey", KINESIS.emulator().secretKey());
    }

    @AfterAll
    static void clearCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void generatedEventsArePutAndReadBackExactly() {
        KINESIS.streams().createStream("produce-events", 3);

        int status =
                run(
                        "--stream", "produce-events",
                        "--records", "2345",
                        "--seed", "5",
                        "--endpoint", KINESIS.emulator().endpoint(),
                        "--region", KINESIS.emulator().region());

        assertThat(status).as(text(err)).isZero();
        List<String> expected = new ArrayList<>();
        DemoEvents events = new DemoEvents(2345, 5L);
        while (events.hasNext()) {
            expected.add(new String(events.next().json(), StandardCharsets.UTF_8));
        }
        List<String> read =
                KINESIS.streams().readAll("produce-events").stream()
                        .map(r -> r.data().asUtf8String())
                        .collect(Collectors.toList());
        // event_timestamp depends on the wall clock; compare the ids, which come from the seed.
        assertThat(read).hasSize(2345);
        assertThat(ids(read)).containsExactlyInAnyOrderElementsOf(ids(expected));
        assertThat(text(out)).contains("SLUICE PRODUCE sent=2345 of=2345 retries=0");
    }

    @Test
    void fileLinesAndBase64RecordsArriveByteForByte(@TempDir Path dir) throws Exception {
        KINESIS.streams().createStream("produce-file", 2);
        byte[] raw = {0, (byte) 0xff, '\n', 'x'};
        Path file = dir.resolve("records.txt");
        Files.write(
                file,
                ("plain one\n\n{\"a\":1}\r\nb64:" + Base64.getEncoder().encodeToString(raw) + "\n")
                        .getBytes(StandardCharsets.UTF_8));

        int status =
                run(
                        "--stream",
                        "produce-file",
                        "--input",
                        file.toString(),
                        "--rate",
                        "100",
                        "--endpoint",
                        KINESIS.emulator().endpoint());

        assertThat(status).as(text(err)).isZero();
        List<Record> read = KINESIS.streams().readAll("produce-file");
        assertThat(
                        read.stream()
                                .map(
                                        r ->
                                                Base64.getEncoder()
                                                        .encodeToString(r.data().asByteArray())))
                .containsExactlyInAnyOrder(
                        b64("plain one".getBytes(StandardCharsets.UTF_8)),
                        b64("{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                        b64(raw));
    }

    @Test
    void aMissingStreamIsOneClearErrorAndExitStatusOne() {
        int status =
                run(
                        "--stream", "no-such-stream",
                        "--records", "10",
                        "--endpoint", KINESIS.emulator().endpoint());

        assertThat(status).isEqualTo(1);
        assertThat(text(err)).contains("ResourceNotFoundException").contains("no-such-stream");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run("--records", "10")).isEqualTo(2);
        assertThat(text(err)).contains("--stream is required");
        assertThat(run("--stream", "s", "--records", "10", "--input", "f")).isEqualTo(2);
        assertThat(run("--stream", "s", "--records", "0")).isEqualTo(2);
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return ProduceCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static List<String> ids(List<String> json) {
        return json.stream()
                .map(j -> j.substring(j.indexOf("\"event_id\":\"") + 12, j.indexOf("\",")))
                .collect(Collectors.toList());
    }
}
