package dev.sluice.benchmarks;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.AbstractDeserializationSchema;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.kinesis.source.KinesisStreamsSource;
import org.apache.flink.connector.kinesis.source.serialization.KinesisDeserializationSchema;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;
import org.apache.flink.streaming.connectors.kinesis.util.UniformShardAssigner;
import org.apache.flink.util.Collector;

import java.io.FileReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import static dev.sluice.benchmarks.BenchmarkCli.intFlag;
import static dev.sluice.benchmarks.BenchmarkCli.stringFlag;

/**
 * The bare reader of {@code ./sluice benchmark pipeline}, run in a JVM of its own: the same {@code
 * FlinkKinesisConsumer} with the same consumer properties, shard assigner, parallelism and
 * checkpoint interval as Sluice, into a sink that only counts records and bytes; with {@code
 * --stream-arn}, the FLIP-27 {@code KinesisStreamsSource} instead, as Sluice's {@code FLIP27} type.
 * Every 100 ms it writes "records bytes" to the {@code --progress} file, which the benchmark reads.
 */
public final class BareReaderJob {

    /** Shared by the sink subtasks; the MiniCluster runs them in this JVM. */
    static final AtomicLong RECORDS = new AtomicLong();

    static final AtomicLong BYTES = new AtomicLong();

    private BareReaderJob() {}

    public static void main(String[] args) throws Exception {
        Properties consumer = new Properties();
        try (Reader reader =
                new FileReader(
                        stringFlag(args, "--consumer-properties", null), StandardCharsets.UTF_8)) {
            consumer.load(reader);
        }
        String stream = stringFlag(args, "--stream", null);
        int parallelism = intFlag(args, "--parallelism", 2);
        int checkpointMs = intFlag(args, "--checkpoint-interval-ms", 2000);
        Path progress = Path.of(stringFlag(args, "--progress", null));
        // A warm-up run in this JVM before (WarmUpFirst) counted into the same counters.
        RECORDS.set(0);
        BYTES.set(0);

        Configuration conf = new Configuration();
        conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        conf.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.HOST, "127.0.0.1");
        conf.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, intFlag(args, "--rest-port", 0));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        env.enableCheckpointing(checkpointMs);

        String streamArn = stringFlag(args, "--stream-arn", "");
        DataStream<byte[]> records;
        if (streamArn.isEmpty()) {
            FlinkKinesisConsumer<byte[]> source =
                    new FlinkKinesisConsumer<>(stream, new Bytes(), consumer);
            // As Sluice's source does: shards spread evenly over the subtasks.
            source.setShardAssigner(new UniformShardAssigner());
            records = env.addSource(source).name("Kinesis: " + stream);
        } else {
            // The FLIP-27 source, configured from the same properties as Sluice's FLIP27 type.
            Configuration sourceConfig = new Configuration();
            consumer.stringPropertyNames()
                    .forEach(k -> sourceConfig.setString(k, consumer.getProperty(k)));
            KinesisStreamsSource<byte[]> source =
                    KinesisStreamsSource.<byte[]>builder()
                            .setStreamArn(streamArn)
                            .setSourceConfig(sourceConfig)
                            .setDeserializationSchema(new RecordBytes())
                            .build();
            records =
                    env.fromSource(
                            source,
                            WatermarkStrategy.noWatermarks(),
                            "Kinesis FLIP27: " + stream,
                            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        }
        records.addSink(new CountingSink()).name("count and discard");

        Thread reporter = new Thread(() -> report(progress), "progress");
        reporter.setDaemon(true);
        reporter.start();
        env.execute("bare reader");
    }

    private static void report(Path progress) {
        Path tmp = progress.resolveSibling(progress.getFileName() + ".tmp");
        while (true) {
            try {
                Files.writeString(tmp, RECORDS.get() + " " + BYTES.get());
                Files.move(
                        tmp,
                        progress,
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                e.printStackTrace();
            }
        }
    }

    /** The payload as it is: no parsing, no copy. */
    static final class Bytes extends AbstractDeserializationSchema<byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] deserialize(byte[] message) {
            return message;
        }
    }

    /** The FLIP-27 source's records as their payload: no parsing, no de-aggregation. */
    static final class RecordBytes implements KinesisDeserializationSchema<byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(
                Record record, String stream, String shardId, Collector<byte[]> output) {
            output.collect(record.data().asByteArray());
        }

        @Override
        public TypeInformation<byte[]> getProducedType() {
            return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        }
    }

    static final class CountingSink implements SinkFunction<byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public void invoke(byte[] value, Context context) {
            BYTES.addAndGet(value.length);
            RECORDS.incrementAndGet();
        }
    }
}
