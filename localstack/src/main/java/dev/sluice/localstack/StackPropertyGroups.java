package dev.sluice.localstack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The property groups a user writes for MSF ({@code KinesisSource}, {@code S3}, {@code Warehouse}),
 * pointed at the embedded stack: kinesis from the emulator, S3 from S3Proxy, the warehouse from
 * embedded PostgreSQL.
 *
 * <pre>{@code
 * Map<String, Properties> groups =
 *         StackPropertyGroups.builder(kinesis, s3, postgres)
 *                 .stream("events")
 *                 .bucket("sluice-it")
 *                 .table("it.user_events")
 *                 .bufferingIntervalSeconds(2)
 *                 .build();
 * }</pre>
 *
 * <p>It lives here because both the job's integration tests and {@code ./sluice local} (the tools
 * module) build these groups and neither module sees the other; both depend on this one. This
 * module does not see the job's typed options either, so the group names and keys are spelled here:
 * they are the job's {@code SourceOptions}, {@code StagingOptions} and {@code WarehouseOptions},
 * whose reader rejects an unknown key, so a drift fails every whole-job test that reads these
 * groups. Callers adjust the groups from there (a ledger schema, another role).
 */
public final class StackPropertyGroups {

    public static final String SOURCE_GROUP = "KinesisSource";
    public static final String STAGING_GROUP = "S3";
    public static final String WAREHOUSE_GROUP = "Warehouse";

    /** Where staged files go under the bucket unless told otherwise. */
    public static final String DEFAULT_PREFIX = "data/";

    /** The demo events' columns, the table most tests and {@code ./sluice local} load. */
    public static final String DEFAULT_COLUMNS = DemoEvents.COLUMNS;

    /** A local run reads the stream from its start. */
    public static final String DEFAULT_INITIAL_POSITION = "TRIM_HORIZON";

    private StackPropertyGroups() {}

    public static Builder builder(
            KinesisEmulator kinesis, S3ProxyServer s3, PostgresServer postgres) {
        return new Builder(kinesis, s3, postgres);
    }

    /** Collects the per-test names; {@link #build()} fails on one that is missing. */
    public static final class Builder {

        private final KinesisEmulator kinesis;
        private final S3ProxyServer s3;
        private final PostgresServer postgres;
        private String stream;
        private String bucket;
        private String prefix = DEFAULT_PREFIX;
        private String table;
        private String columns = DEFAULT_COLUMNS;
        private Integer bufferingIntervalSeconds;

        private Builder(KinesisEmulator kinesis, S3ProxyServer s3, PostgresServer postgres) {
            this.kinesis = Objects.requireNonNull(kinesis, "kinesis");
            this.s3 = Objects.requireNonNull(s3, "s3");
            this.postgres = Objects.requireNonNull(postgres, "postgres");
        }

        public Builder stream(String stream) {
            this.stream = stream;
            return this;
        }

        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        public Builder prefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        /** The warehouse table, {@code schema.table}. */
        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /** The table's columns, comma-separated, in the order files carry them. */
        public Builder columns(String columns) {
            this.columns = columns;
            return this;
        }

        /**
         * The staging buffer interval, which is the job's checkpoint interval when the runtime sets
         * none; callers pass theirs through the job's {@code CheckpointInterval.secondsOf}, which
         * converts and checks it.
         */
        public Builder bufferingIntervalSeconds(int seconds) {
            this.bufferingIntervalSeconds = seconds;
            return this;
        }

        public Map<String, Properties> build() {
            Objects.requireNonNull(stream, "stream is not set");
            Objects.requireNonNull(bucket, "bucket is not set");
            Objects.requireNonNull(prefix, "prefix is null");
            Objects.requireNonNull(table, "table is not set");
            Objects.requireNonNull(columns, "columns is null");
            Objects.requireNonNull(bufferingIntervalSeconds, "bufferingIntervalSeconds is not set");
            Map<String, Properties> groups = new LinkedHashMap<>();

            Properties source = new Properties();
            source.setProperty("stream.name", stream);
            source.setProperty("aws.region", kinesis.region());
            source.setProperty("aws.endpoint", kinesis.endpoint());
            source.setProperty("aws.credentials.provider", "BASIC");
            source.setProperty("aws.credentials.provider.basic.accesskeyid", kinesis.accessKey());
            source.setProperty("aws.credentials.provider.basic.secretkey", kinesis.secretKey());
            source.setProperty("flink.stream.initpos", DEFAULT_INITIAL_POSITION);
            groups.put(SOURCE_GROUP, source);

            Properties staging = new Properties();
            staging.setProperty("bucket", bucket);
            staging.setProperty("prefix", prefix);
            staging.setProperty("buffering.interval.s", Integer.toString(bufferingIntervalSeconds));
            s3.flinkS3Configuration().forEach(staging::setProperty);
            groups.put(STAGING_GROUP, staging);

            Properties warehouse = new Properties();
            warehouse.setProperty("dialect", "postgres");
            warehouse.setProperty("jdbc.url", postgres.jdbcUrl());
            warehouse.setProperty("username", postgres.user());
            warehouse.setProperty("password", postgres.password());
            warehouse.setProperty("table", table);
            warehouse.setProperty("columns", columns);
            groups.put(WAREHOUSE_GROUP, warehouse);

            return groups;
        }
    }
}
