package dev.sluice.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.model.Record;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What Sluice's tests rely on from either Kinesis emulator. */
abstract class KinesisEmulatorContract {

    abstract KinesisEmulatorExtension kinesis();

    @Test
    void createsAStreamWithTheRequestedShards() {
        kinesis().streams().createStream("four-shards", 4);

        assertThat(kinesis().streams().shardIds("four-shards")).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void everyProducedRecordIsReadBackFromTrimHorizon() {
        KinesisStreams streams = kinesis().streams();
        streams.createStream("roundtrip", 4);
        List<ProducerRecord> produced = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            produced.add(
                    ProducerRecord.of(
                            "key-" + (i % 37),
                            "{\"id\":" + i + ",\"pad\":\"" + "x".repeat(i % 100) + "\"}"));
        }

        int stored = streams.producer().putAll("roundtrip", produced.iterator());

        assertThat(stored).isEqualTo(1200);
        Map<String, Set<String>> shardsByKey = new HashMap<>();
        List<String> read = new ArrayList<>();
        for (String shardId : streams.shardIds("roundtrip")) {
            for (Record record : streams.readShard("roundtrip", shardId)) {
                read.add(record.partitionKey() + "|" + record.data().asUtf8String());
                shardsByKey
                        .computeIfAbsent(record.partitionKey(), k -> new HashSet<>())
                        .add(shardId);
            }
        }
        assertThat(read)
                .hasSize(1200)
                .containsExactlyInAnyOrderElementsOf(
                        produced.stream()
                                .map(
                                        r ->
                                                r.partitionKey()
                                                        + "|"
                                                        + new String(
                                                                r.data(), StandardCharsets.UTF_8))
                                .collect(Collectors.toList()));
        // Hashing by partition key: each key lives in one shard, and the keys spread over several.
        assertThat(shardsByKey.values()).allSatisfy(shards -> assertThat(shards).hasSize(1));
        assertThat(shardsByKey.values().stream().flatMap(Set::stream).distinct().count())
                .isGreaterThan(1);
    }

    @Test
    void describesItselfToFlink() {
        assertThat(kinesis().endpoint()).startsWith("http://127.0.0.1:");
        assertThat(kinesis().flinkConnectorProperties())
                .containsEntry("aws.endpoint", kinesis().endpoint())
                .containsEntry("aws.region", kinesis().region())
                .containsEntry("aws.credentials.provider", "BASIC")
                .containsEntry("aws.credentials.provider.basic.accesskeyid", kinesis().accessKey())
                .containsEntry("aws.credentials.provider.basic.secretkey", kinesis().secretKey());
    }

    @Test
    void isGoneAfterClose(@TempDir Path workDir) {
        long pid;
        int port;
        List<Long> descendants;
        try (KinesisEmulator emulator = kinesis().kind().start(workDir)) {
            pid = emulator.process().pid();
            port = emulator.process().port();
            descendants = emulator.process().descendantPids();
            assertThat(ManagedProcessTest.accepts(port)).isTrue();
        }
        ManagedProcessTest.assertGone(pid);
        descendants.forEach(ManagedProcessTest::assertGone);
        assertThat(ManagedProcessTest.accepts(port)).isFalse();
    }
}
