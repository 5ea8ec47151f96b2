package dev.sluice.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KinesaliteServerTest extends KinesisEmulatorContract {

    @RegisterExtension
    static final KinesisEmulatorExtension KINESIS =
            new KinesisEmulatorExtension(KinesisEmulator.Kind.KINESALITE);

    @Override
    KinesisEmulatorExtension kinesis() {
        return KINESIS;
    }

    /** Only here: kinesis-local needs about 15 s for these 7 MiB. */
    @Test
    void sendsLargeBatchesWithinTheRequestSizeLimit() {
        KinesisStreams streams = kinesis().streams();
        streams.createStream("large-records", 1);
        byte[] large = new byte[600 * 1024];
        List<ProducerRecord> produced = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            large[0] = (byte) i;
            produced.add(new ProducerRecord("k" + i, large.clone()));
        }

        // 12 x 600 KiB = 7.2 MiB: needs two PutRecords requests of at most 5 MiB.
        assertThat(streams.producer().putAll("large-records", produced)).isEqualTo(12);
        assertThat(streams.readAll("large-records")).hasSize(12);
    }

    /** What the chaos suite's Kinesis fault relies on: the emulator's data outlives a SIGKILL. */
    @Test
    void aPersistentKinesaliteKilledAndRestartedOnItsPortKeepsItsStreamsAndRecords(
            @TempDir Path workDir) {
        try (KinesaliteServer kinesalite = KinesaliteServer.startPersistent(workDir);
                KinesisStreams streams = KinesisStreams.connect(kinesalite)) {
            streams.createStream("kept", 2);
            streams.producer().putAll("kept", records("before-", 50));
            String endpoint = kinesalite.endpoint();
            long killedPid = kinesalite.process().pid();

            kinesalite.kill();
            assertThat(kinesalite.process().isAlive()).isFalse();
            kinesalite.restart();

            assertThat(kinesalite.endpoint()).isEqualTo(endpoint);
            assertThat(kinesalite.process().pid()).isNotEqualTo(killedPid);
            streams.producer().putAll("kept", records("after-", 50));
            List<String> keys = new ArrayList<>();
            streams.readAll("kept").forEach(r -> keys.add(r.partitionKey()));
            assertThat(keys).hasSize(100).doesNotHaveDuplicates();
        }
    }

    private static List<ProducerRecord> records(String prefix, int count) {
        List<ProducerRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(
                    new ProducerRecord(
                            prefix + i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }
}
