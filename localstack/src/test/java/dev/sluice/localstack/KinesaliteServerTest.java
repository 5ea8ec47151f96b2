package dev.sluice.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
}
