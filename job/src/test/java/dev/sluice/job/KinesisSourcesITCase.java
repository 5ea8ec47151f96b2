package dev.sluice.job;

import dev.sluice.job.config.CheckpointInterval;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.SourceOptions;
import dev.sluice.job.config.SourceOptions.SourceType;
import dev.sluice.job.config.TransformOptions;
import dev.sluice.job.config.WarehouseOptions;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.KinesisEmulator;
import dev.sluice.localstack.KplAggregatedRecord;
import dev.sluice.localstack.ProducerRecord;
import dev.sluice.localstack.StackPropertyGroups;
import dev.sluice.localstack.UseKinesisEmulator;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each {@code KinesisSource source.type} end to end on kinesis-local (the emulator that serves
 * SubscribeToShard, ListShards and what the FLIP-27 source calls), a MiniCluster at parallelism 2
 * and PostgreSQL: every record becomes one row, and the Kinesis metadata the job adds to each row
 * (stream, shard, sequence number, partition key, arrival time) is exactly what the emulator holds
 * for that record, so a filter working from those fields sees the same values whichever source read
 * the record.
 */
@UseKinesisEmulator(KinesisEmulator.Kind.KINESIS_LOCAL)
class KinesisSourcesITCase extends LocalStackTestBase {

    private static final int SHARDS = 2;
    private static final int PARALLELISM = 2;
    private static final long CHECKPOINT_INTERVAL_MS = 1_000L;
    static final String BUCKET = "sluice-sources";
    private static final long TIMEOUT_SECONDS = 120;

    static final String COLUMNS =
            "event_id,kinesis_stream,kinesis_shard_id,kinesis_sequence_number,"
                    + "kinesis_partition_key,kinesis_arrival_time";

    private static final Pattern EVENT_ID = Pattern.compile("\"event_id\":\"([^\"]+)\"");

    /** The relocated SDK v1's switch, which {@link LocalStackTestBase} turns on for kinesalite. */
    private static final String SDK_V1_DISABLE_CBOR =
            "org.apache.flink.kinesis.shaded.com.amazonaws.sdk.disableCbor";

    @BeforeAll
    static void createBucket() {
        S3.createBucket(BUCKET);
    }

    /**
     * The legacy consumer's SDK v1 talks CBOR to kinesis-local, as it does to Kinesis. With CBOR
     * off it writes a GetShardIterator timestamp in milliseconds where JSON means seconds, and the
     * emulator answers "Timestamp cannot be in the future" to every LATEST and AT_TIMESTAMP start.
     */
    @BeforeAll
    static void sdkV1SpeaksCbor() {
        System.clearProperty(SDK_V1_DISABLE_CBOR);
    }

    @AfterAll
    static void sdkV1WithoutCborAgainForKinesalite() {
        System.setProperty(SDK_V1_DISABLE_CBOR, "true");
    }

    /**
     * Half of 600 events are in the stream before the job starts (read from TRIM_HORIZON), half are
     * put while it runs. Passes when the table holds 600 rows with 600 distinct event ids, and
     * every row's metadata equals the record the emulator returns for that event id.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(SourceType.class)
    void eachSourceTypeDeliversEveryRecordOnceWithItsKinesisMetadata(SourceType type)
            throws Exception {
        Run run = new Run("all_" + type, type);
        List<ProducerRecord> records = run.demoEvents(600);
        run.put(records.subList(0, 300));
        run.runJob(
                job -> {
                    run.awaitRows(job, 1);
                    run.put(records.subList(300, 600));
                    run.awaitRows(job, 600);
                    if (type == SourceType.EFO) {
                        assertThat(run.streamConsumers())
                                .as("LAZY registration: the job registered its EFO consumer")
                                .containsExactly(run.efoConsumerName());
                    }
                });
        if (type == SourceType.EFO) {
            run.awaitNoStreamConsumers();
        }
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + run.table)).isEqualTo(600);
        assertThat(POSTGRES.querySet("SELECT event_id FROM " + run.table))
                .isEqualTo(run.producedIds);
        run.assertMetadataMatchesTheStream();
    }

    /**
     * 400 demo events put as KPL-aggregated records (up to 20 user records each, grouped by the
     * shard their partition keys hash to, as the KPL groups them), then 100 plain records. Passes
     * when every user record is its own row (500 rows, 500 distinct ids), each row carries its user
     * record's own partition key, and the user records of one aggregate share that Kinesis record's
     * sequence number (one distinct sequence number per aggregate and per plain record).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(SourceType.class)
    void kplAggregatedRecordsBecomeOneRowPerUserRecord(SourceType type) throws Exception {
        Run run = new Run("kpl_" + type, type);
        List<ProducerRecord> events = run.demoEvents(500);
        List<ProducerRecord> aggregates = new ArrayList<>();
        Map<ByteBuffer, List<ProducerRecord>> usersOf = new HashMap<>();
        for (List<ProducerRecord> sameShard : run.byShard(events.subList(0, 400)).values()) {
            for (int i = 0; i < sameShard.size(); i += 20) {
                List<ProducerRecord> users =
                        sameShard.subList(i, Math.min(i + 20, sameShard.size()));
                ProducerRecord aggregate = KplAggregatedRecord.of(users);
                aggregates.add(aggregate);
                usersOf.put(ByteBuffer.wrap(aggregate.data()), users);
            }
        }
        run.put(aggregates);
        run.put(events.subList(400, 500));
        run.runJob(job -> run.awaitRows(job, 500));
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + run.table)).isEqualTo(500);
        assertThat(POSTGRES.querySet("SELECT event_id FROM " + run.table))
                .isEqualTo(run.producedIds);
        assertThat(
                        POSTGRES.queryLong(
                                "SELECT count(DISTINCT kinesis_sequence_number) FROM " + run.table))
                .as("one sequence number per Kinesis record")
                .isEqualTo(aggregates.size() + 100);
        run.assertMetadataMatchesTheStream(usersOf);
    }

    /**
     * LATEST: 100 events put before the job starts are not delivered. Once the job reads every
     * shard (a marker record from each shard is a row), 200 more are put, and those are delivered,
     * each once.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(SourceType.class)
    void latestDeliversOnlyRecordsPutAfterTheSourceStarted(SourceType type) throws Exception {
        Run run = new Run("latest_" + type, type);
        run.groups.get(SourceOptions.GROUP).setProperty("flink.stream.initpos", "LATEST");
        List<ProducerRecord> events = run.demoEvents(300);
        run.put(events.subList(0, 100));
        Set<String> after = run.idsOf(events.subList(100, 300));
        run.runJob(
                job -> {
                    run.awaitMarkersFromEveryShard(job);
                    run.put(events.subList(100, 300));
                    run.awaitRowsWhere(job, "event_id NOT LIKE 'marker-%'", 200);
                });
        assertThat(
                        POSTGRES.querySet(
                                "SELECT event_id FROM "
                                        + run.table
                                        + " WHERE event_id NOT LIKE 'marker-%'"))
                .as("only the records put after the start")
                .isEqualTo(after);
        run.assertNoDuplicates();
    }

    /**
     * AT_TIMESTAMP: 100 events, then a timestamp, then 200 events, all before the job starts with
     * that timestamp. Passes when exactly the 200 events after it are rows, each once.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(SourceType.class)
    void atTimestampDeliversOnlyRecordsArrivedFromThatTime(SourceType type) throws Exception {
        Run run = new Run("at_timestamp_" + type, type);
        List<ProducerRecord> events = run.demoEvents(300);
        run.put(events.subList(0, 100));
        Thread.sleep(1_500);
        Instant start = Instant.now();
        Thread.sleep(1_500);
        run.put(events.subList(100, 300));
        Set<String> after = run.idsOf(events.subList(100, 300));
        Properties source = run.groups.get(SourceOptions.GROUP);
        source.setProperty("flink.stream.initpos", "AT_TIMESTAMP");
        source.setProperty(
                "flink.stream.initpos.timestamp",
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
                        .withZone(ZoneOffset.UTC)
                        .format(start));
        run.runJob(job -> run.awaitRows(job, 200));
        assertThat(POSTGRES.querySet("SELECT event_id FROM " + run.table))
                .as("only the records that arrived from the timestamp on")
                .isEqualTo(after);
        run.assertNoDuplicates();
    }

    /** What a test does while its job runs. */
    interface JobStep {
        void accept(JobClient job) throws Exception;
    }

    /** One source run: its own stream, schema, table and S3 prefix. */
    static final class Run {
        final String name;
        final SourceType type;
        final int shards;
        final String stream;
        final String schema;
        final String table;
        final Set<String> producedIds = new HashSet<>();
        final Map<String, Properties> groups;

        Run(String name, SourceType type) throws Exception {
            this(name, type, SHARDS);
        }

        Run(String name, SourceType type, int shards) throws Exception {
            this.name = name.toLowerCase(Locale.ROOT);
            this.type = type;
            this.shards = shards;
            this.stream = this.name.replace('_', '-');
            this.schema = this.name;
            this.table = this.name + ".events";
            POSTGRES.execute("CREATE SCHEMA " + schema);
            POSTGRES.execute(
                    "CREATE TABLE "
                            + table
                            + " (event_id VARCHAR(64), kinesis_stream VARCHAR(128),"
                            + " kinesis_shard_id VARCHAR(64), kinesis_sequence_number VARCHAR(128),"
                            + " kinesis_partition_key VARCHAR(256), kinesis_arrival_time TIMESTAMP)");
            KINESIS.streams().createStream(stream, shards);
            groups =
                    StackPropertyGroups.builder(KINESIS.emulator(), S3.server(), POSTGRES.server())
                            .stream(stream)
                            .bucket(BUCKET)
                            .prefix(this.name + "/")
                            .table(table)
                            .columns(COLUMNS)
                            .bufferingIntervalSeconds(
                                    CheckpointInterval.secondsOf(CHECKPOINT_INTERVAL_MS))
                            .build();
            groups.get(WarehouseOptions.GROUP)
                    .setProperty(WarehouseOptions.LEDGER_SCHEMA.key(), schema);
            readWith(groups, type, stream);
            if (type == SourceType.EFO) {
                groups.get(SourceOptions.GROUP)
                        .setProperty(SourceOptions.EFO_CONSUMER_NAME.key(), efoConsumerName());
            }
            Properties transform = new Properties();
            transform.setProperty(TransformOptions.CHAIN.key(), "metadata");
            transform.setProperty(
                    TransformOptions.METADATA_FIELDS.key(),
                    "stream:kinesis_stream,shardId:kinesis_shard_id,"
                            + "sequenceNumber:kinesis_sequence_number,"
                            + "partitionKey:kinesis_partition_key,"
                            + "approximateArrivalTimestamp:kinesis_arrival_time");
            groups.put(TransformOptions.GROUP, transform);
        }

        String efoConsumerName() {
            return "sluice-" + stream;
        }

        List<String> streamConsumers() {
            return KINESIS
                    .streams()
                    .client()
                    .listStreamConsumers(r -> r.streamARN(streamArn(stream)))
                    .consumers()
                    .stream()
                    .map(c -> c.consumerName())
                    .collect(Collectors.toList());
        }

        /** LAZY deregisters the consumer when the job shuts down gracefully (a cancel is one). */
        void awaitNoStreamConsumers() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!streamConsumers().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(streamConsumers())
                    .as("LAZY deregistration: the cancelled job deregistered its EFO consumer")
                    .isEmpty();
        }

        List<ProducerRecord> demoEvents(int count) {
            List<ProducerRecord> records = new ArrayList<>(count);
            DemoEvents events = new DemoEvents(count, name.hashCode());
            while (events.hasNext()) {
                DemoEvents.Event e = events.next();
                producedIds.add(e.eventId());
                records.add(new ProducerRecord(e.partitionKey(), e.json()));
            }
            assertThat(producedIds).hasSize(count);
            return records;
        }

        void put(List<ProducerRecord> records) {
            assertThat(KINESIS.streams().producer().putAll(stream, records))
                    .isEqualTo(records.size());
        }

        /**
         * Starts the job, runs {@code whileRunning}, waits three more checkpoints (a duplicate load
         * would show by then) and cancels the job.
         */
        void runJob(JobStep whileRunning) throws Exception {
            JobClient job = start();
            try {
                whileRunning.accept(job);
                Thread.sleep(3 * CHECKPOINT_INTERVAL_MS);
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        }

        JobClient start() throws Exception {
            SluiceConfig config = SluiceConfig.from(groups);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(PARALLELISM);
            env.enableCheckpointing(CHECKPOINT_INTERVAL_MS);
            SluicePipeline.build(env, config);
            return env.executeAsync("sources " + name);
        }

        long rows() throws Exception {
            return POSTGRES.queryLong("SELECT count(*) FROM " + table);
        }

        void awaitRows(JobClient job, long atLeast) throws Exception {
            awaitRowsWhere(job, "true", atLeast);
        }

        Set<String> idsOf(List<ProducerRecord> records) {
            Set<String> ids = new HashSet<>();
            for (ProducerRecord r : records) {
                Matcher id = EVENT_ID.matcher(new String(r.data(), StandardCharsets.UTF_8));
                assertThat(id.find()).isTrue();
                ids.add(id.group(1));
            }
            return ids;
        }

        /** The records grouped by the shard whose hash key range holds their partition key. */
        Map<String, List<ProducerRecord>> byShard(List<ProducerRecord> records) {
            List<Shard> shards =
                    KINESIS.streams().client().listShards(r -> r.streamName(stream)).shards();
            Map<String, List<ProducerRecord>> byShard = new TreeMap<>();
            for (ProducerRecord r : records) {
                BigInteger hash = KplAggregatedRecord.hashKey(r.partitionKey());
                Shard shard =
                        shards.stream()
                                .filter(
                                        s ->
                                                hash.compareTo(
                                                                        new BigInteger(
                                                                                s.hashKeyRange()
                                                                                        .startingHashKey()))
                                                                >= 0
                                                        && hash.compareTo(
                                                                        new BigInteger(
                                                                                s.hashKeyRange()
                                                                                        .endingHashKey()))
                                                                <= 0)
                                .findFirst()
                                .orElseThrow();
                byShard.computeIfAbsent(shard.shardId(), k -> new ArrayList<>()).add(r);
            }
            return byShard;
        }

        /**
         * Puts marker records with changing partition keys until a marker from every shard is a
         * row: then every shard's reader has its position.
         */
        void awaitMarkersFromEveryShard(JobClient job) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            int marker = 0;
            while (System.nanoTime() < deadline) {
                assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState())
                        .isFalse();
                List<ProducerRecord> markers = new ArrayList<>();
                for (int i = 0; i < 8; i++, marker++) {
                    markers.add(
                            ProducerRecord.of(
                                    "marker-" + marker,
                                    "{\"event_id\":\"marker-" + marker + "\"}"));
                }
                put(markers);
                Thread.sleep(500);
                if (POSTGRES.queryLong(
                                "SELECT count(DISTINCT kinesis_shard_id) FROM "
                                        + table
                                        + " WHERE event_id LIKE 'marker-%'")
                        == shards) {
                    return;
                }
            }
            throw new AssertionError("no marker row from every shard in " + TIMEOUT_SECONDS + " s");
        }

        void awaitRowsWhere(JobClient job, String condition, long atLeast) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            String count = "SELECT count(*) FROM " + table + " WHERE " + condition;
            while (System.nanoTime() < deadline) {
                assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState())
                        .isFalse();
                if (POSTGRES.queryLong(count) >= atLeast) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new AssertionError(
                    String.format(
                            "only %d of %d rows after %d s",
                            POSTGRES.queryLong(count), atLeast, TIMEOUT_SECONDS));
        }

        void assertNoDuplicates() throws Exception {
            assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + table))
                    .as("no event id twice")
                    .isEqualTo(POSTGRES.queryLong("SELECT count(DISTINCT event_id) FROM " + table));
        }

        void assertMetadataMatchesTheStream() throws Exception {
            assertMetadataMatchesTheStream(Map.of());
        }

        /**
         * Every row's metadata is the emulator's record for its event id; for the user records of
         * an aggregated record (found by its bytes in {@code usersOf}), that record's stream,
         * shard, sequence number and arrival time with the user record's own partition key.
         */
        void assertMetadataMatchesTheStream(Map<ByteBuffer, List<ProducerRecord>> usersOf)
                throws Exception {
            Map<String, List<String>> expected = new HashMap<>();
            for (String shardId : KINESIS.streams().shardIds(stream)) {
                for (Record r : KINESIS.streams().readShard(stream, shardId)) {
                    String arrival = Long.toString(r.approximateArrivalTimestamp().toEpochMilli());
                    List<ProducerRecord> users = usersOf.get(r.data().asByteBuffer());
                    if (users != null) {
                        for (ProducerRecord user : users) {
                            expected.put(
                                    idsOf(List.of(user)).iterator().next(),
                                    List.of(
                                            stream,
                                            shardId,
                                            r.sequenceNumber(),
                                            user.partitionKey(),
                                            arrival));
                        }
                        continue;
                    }
                    Matcher id = EVENT_ID.matcher(r.data().asString(StandardCharsets.UTF_8));
                    if (id.find()) {
                        expected.put(
                                id.group(1),
                                List.of(
                                        stream,
                                        shardId,
                                        r.sequenceNumber(),
                                        r.partitionKey(),
                                        arrival));
                    }
                }
            }
            List<List<String>> rows =
                    POSTGRES.query(
                            "SELECT event_id, kinesis_stream, kinesis_shard_id,"
                                    + " kinesis_sequence_number, kinesis_partition_key,"
                                    + " (extract(epoch FROM kinesis_arrival_time) * 1000)::bigint"
                                    + " FROM "
                                    + table);
            assertThat(rows).isNotEmpty();
            for (List<String> row : rows) {
                assertThat(row.subList(1, 6))
                        .as("metadata of event %s", row.get(0))
                        .isEqualTo(expected.get(row.get(0)));
            }
        }
    }
}
