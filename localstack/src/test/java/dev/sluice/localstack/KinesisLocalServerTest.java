package dev.sluice.localstack;

import org.junit.jupiter.api.extension.RegisterExtension;

class KinesisLocalServerTest extends KinesisEmulatorContract {

    @RegisterExtension
    static final KinesisEmulatorExtension KINESIS =
            new KinesisEmulatorExtension(KinesisEmulator.Kind.KINESIS_LOCAL);

    @Override
    KinesisEmulatorExtension kinesis() {
        return KINESIS;
    }
}
