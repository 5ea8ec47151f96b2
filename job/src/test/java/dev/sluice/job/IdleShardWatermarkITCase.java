package dev.sluice.job;

import dev.sluice.job.config.CheckpointInterval;
import dev.sluice.job.config.EventTimeOptions;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.localstack.StackPropertyGroups;
import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-shard watermarks with one of four shards going silent, on kinesalite and a MiniCluster (one
 * source subtask reading all four shards, so the subtask's watermark is the minimum over them).
 *
 * <p>Phase one writes events to all four shards; phase two only to three, with later event times.
 * With a short {@code EventTime idle.shard.timeout.ms} the watermark follows the three live shards
 * past the silent shard's last event time. The control runs with a timeout longer than the test:
 * the silent shard still counts and holds the watermark at its last event time, which shows the
 * setting reaches the connector and that the first test would catch it missing.
 */
class IdleShardWatermarkITCase extends LocalStackTestBase {

    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    private static final int SHARDS = 4;
    private static final int PHASE_ONE_SECONDS = 100;
    private static final int PHASE_TWO_SECONDS = 300;
    private static final long TIMEOUT_SECONDS = 60;

    /** Highest watermark each probe saw, by test name (the MiniCluster runs in this JVM). */
    private static final Map<String, AtomicLong> WATERMARKS = new ConcurrentHashMap<>();

    // The pipeline's configuration names a warehouse and a bucket; this test never reaches them.

    @Test
    void theWatermarkKeepsAdvancingWhenOneOfFourShardsGoesSilent() throws Exception {
        long watermark = run("idle-on", 1_000L);

        assertThat(watermark)
                .as("watermark after the silent shard's last event")
                .isGreaterThan(
                        T0.plusSeconds(PHASE_ONE_SECONDS + PHASE_TWO_SECONDS / 2).toEpochMilli());
    }

    @Test
    void aSilentShardHoldsTheWatermarkBackUntilItsIdleTimeoutPasses() throws Exception {
        long watermark = run("idle-long", 60_000L);

        assertThat(watermark).isLessThan(T0.plusSeconds(PHASE_ONE_SECONDS).toEpochMilli());
    }

    /**
     * @return the highest watermark seen some seconds after phase two was read
     */
    private long run(String name, long idleTimeoutMs) throws Exception {
        String stream = "watermarks-" + name;
        KINESIS.streams().createStream(stream, SHARDS);
        List<String> keysByShard = partitionKeysPerShard(stream);
        String silentKey = keysByShard.get(SHARDS - 1);

        List<ProducerRecord> phaseOne = new ArrayList<>();
        for (int s = 0; s < PHASE_ONE_SECONDS; s++) {
            phaseOne.add(event(keysByShard.get(s % SHARDS), s));
        }
        List<ProducerRecord> phaseTwo = new ArrayList<>();
        for (int s = PHASE_ONE_SECONDS; s < PHASE_ONE_SECONDS + PHASE_TWO_SECONDS; s++) {
            phaseTwo.add(event(keysByShard.get(s % (SHARDS - 1)), s));
        }
        assertThat(phaseTwo).noneMatch(r -> r.partitionKey().equals(silentKey));

        Map<String, Properties> groups =
                StackPropertyGroups.builder(KINESIS.emulator(), S3.server(), POSTGRES.server())
                        .stream(stream)
                        .bucket("unused-bucket")
                        .prefix("unused/")
                        .table("public.unused")
                        .columns("a")
                        .bufferingIntervalSeconds(CheckpointInterval.secondsOf(1_000L))
                        .build();
        Properties eventTime = new Properties();
        eventTime.setProperty(EventTimeOptions.FIELD.key(), "event_timestamp");
        eventTime.setProperty(EventTimeOptions.MAX_OUT_OF_ORDERNESS_MS.key(), "0");
        eventTime.setProperty(
                EventTimeOptions.IDLE_SHARD_TIMEOUT_MS.key(), Long.toString(idleTimeoutMs));
        groups.put(EventTimeOptions.GROUP, eventTime);
        SluiceConfig config = SluiceConfig.from(groups);

        WATERMARKS.put(name, new AtomicLong(Long.MIN_VALUE));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.getConfig().setAutoWatermarkInterval(100);
        SluicePipeline.source(env, config)
                .transform("watermark probe", Types.VOID, new WatermarkProbe(name));
        JobClient job = env.executeAsync("watermarks " + name);
        try {
            KINESIS.streams().producer().putAll(stream, phaseOne);
            awaitWatermark(name, T0.plusSeconds(PHASE_ONE_SECONDS / 2).toEpochMilli());
            Thread.sleep(2_000); // the silent shard stops here
            KINESIS.streams().producer().putAll(stream, phaseTwo);
            long target = T0.plusSeconds(PHASE_ONE_SECONDS + PHASE_TWO_SECONDS - 2).toEpochMilli();
            long deadline =
                    System.nanoTime()
                            + TimeUnit.SECONDS.toNanos(
                                    idleTimeoutMs < 10_000 ? TIMEOUT_SECONDS : 8);
            while (System.nanoTime() < deadline && WATERMARKS.get(name).get() < target) {
                Thread.sleep(100);
            }
            return WATERMARKS.get(name).get();
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    private static void awaitWatermark(String name, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (WATERMARKS.get(name).get() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("phase one never moved the watermark past " + atLeast);
            }
            Thread.sleep(100);
        }
    }

    private static ProducerRecord event(String partitionKey, int second) {
        String json =
                "{\"event_id\":\"e"
                        + second
                        + "\",\"event_timestamp\":\""
                        + T0.plusSeconds(second)
                        + "\"}";
        return new ProducerRecord(partitionKey, json.getBytes(StandardCharsets.UTF_8));
    }

    /** One partition key per shard, in the listed order, found by Kinesis's MD5 routing. */
    private static List<String> partitionKeysPerShard(String stream) throws Exception {
        List<Shard> shards =
                KINESIS.streams().client().listShards(r -> r.streamName(stream)).shards();
        assertThat(shards).hasSize(SHARDS);
        List<String> keys = new ArrayList<>();
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        for (Shard shard : shards) {
            BigInteger start = new BigInteger(shard.hashKeyRange().startingHashKey());
            BigInteger end = new BigInteger(shard.hashKeyRange().endingHashKey());
            for (int i = 0; ; i++) {
                String key = "key-" + i;
                BigInteger hash =
                        new BigInteger(1, md5.digest(key.getBytes(StandardCharsets.UTF_8)));
                if (hash.compareTo(start) >= 0 && hash.compareTo(end) <= 0) {
                    keys.add(key);
                    break;
                }
            }
        }
        return keys;
    }

    /** Records the highest watermark that reaches it. */
    private static final class WatermarkProbe extends AbstractStreamOperator<Void>
            implements OneInputStreamOperator<SluiceRecord, Void> {

        private static final long serialVersionUID = 1L;

        private final String name;

        WatermarkProbe(String name) {
            this.name = name;
        }

        @Override
        public void processElement(StreamRecord<SluiceRecord> element) {}

        @Override
        public void processWatermark(Watermark mark) throws Exception {
            super.processWatermark(mark);
            WATERMARKS.get(name).accumulateAndGet(mark.getTimestamp(), Math::max);
        }
    }
}
