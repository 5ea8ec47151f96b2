package dev.sluice.job.cli;

import dev.sluice.job.config.CheckpointInterval;
import dev.sluice.job.config.StagingOptions;
import dev.sluice.job.config.WarehouseOptions;
import dev.sluice.job.local.LocalConfig;
import dev.sluice.localstack.EmulatedStackTestBase;
import dev.sluice.localstack.StackPropertyGroups;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./sluice check} against the real stand-ins (kinesalite, S3Proxy, embedded PostgreSQL): one
 * run where every check passes, and one per kind of failure, each asserting the exact line printed
 * and the exit status. Every test starts from a configuration whose checks all pass and breaks one
 * thing.
 */
class CheckCommandITCase extends EmulatedStackTestBase {

    static final String STREAM = "check_events";
    static final String BUCKET = "sluice-check-it";
    static final String PREFIX = "events/";
    static final String SCHEMA = "check_it";
    static final String TABLE = SCHEMA + ".user_events";
    static final String COLUMNS = "event_id,user_id,payload";

    /** The loader's own role, as in production: not a superuser, with the grants a load needs. */
    static final String LOADER = "check_loader";

    static final String LOADER_PASSWORD = "loader-secret-3";

    /** A role that logs in with a password and may read, not write, the table. */
    static final String READER = "check_reader";

    static final String READER_PASSWORD = "reader-secret-1";

    @TempDir Path dir;

    @BeforeAll
    static void createStreamBucketTableAndRoles() throws Exception {
        KINESIS.streams().createStream(STREAM, 1);
        S3.createBucket(BUCKET);
        POSTGRES.execute("CREATE SCHEMA " + SCHEMA);
        POSTGRES.execute("CREATE TABLE " + TABLE + " (event_id text, user_id text, payload text)");
        POSTGRES.execute("CREATE ROLE " + LOADER + " LOGIN PASSWORD '" + LOADER_PASSWORD + "'");
        POSTGRES.execute("GRANT USAGE ON SCHEMA " + SCHEMA + " TO " + LOADER);
        POSTGRES.execute("GRANT SELECT, INSERT ON " + TABLE + " TO " + LOADER);
        POSTGRES.execute("GRANT CREATE ON DATABASE postgres TO " + LOADER);
        POSTGRES.execute("GRANT CREATE ON SCHEMA public TO " + LOADER);
        POSTGRES.execute("CREATE ROLE " + READER + " LOGIN PASSWORD '" + READER_PASSWORD + "'");
        POSTGRES.execute("GRANT USAGE ON SCHEMA " + SCHEMA + " TO " + READER);
        POSTGRES.execute("GRANT SELECT ON " + TABLE + " TO " + READER);
        requirePasswordsOverTcp();
    }

    /**
     * The embedded server trusts every connection; make every role but the tests' own superuser log
     * in with its password over TCP, as a real server does, so that a wrong one is refused.
     */
    static void requirePasswordsOverTcp() throws Exception {
        String hbaFile = POSTGRES.query("SHOW hba_file").get(0).get(0);
        Files.writeString(
                Path.of(hbaFile),
                "local all all trust\n"
                        + "host all "
                        + POSTGRES.user()
                        + " 127.0.0.1/32 trust\n"
                        + "host all all 127.0.0.1/32 scram-sha-256\n");
        POSTGRES.query("SELECT pg_reload_conf()");
    }

    @Test
    void everyCheckPassesAndTheCommandExitsZero() throws Exception {
        Run run = check(groups -> {});

        assertThat(run.status).as(run.toString()).isZero();
        assertThat(run.lines())
                .containsExactly(
                        "ok stream '" + STREAM + "' is ACTIVE with 1 open shard(s) and can be read",
                        "ok bucket '"
                                + BUCKET
                                + "': a probe object was put and deleted under s3://"
                                + BUCKET
                                + "/"
                                + PREFIX,
                        "ok warehouse accepts the credentials",
                        "ok table " + TABLE + " has every configured column (3)",
                        "ok this user may COPY into " + TABLE + " (INSERT)",
                        "ok this user may write the ledger in schema public");
        // S3A leaves an empty directory marker ("events/") behind a deleted object; the probe
        // object itself must be gone.
        assertThat(S3.listAllKeys(BUCKET, PREFIX))
                .as("the probe object is gone")
                .noneMatch(key -> key.contains(".sluice-check-"));
    }

    @Test
    void aStreamThatDoesNotExistIsNamedByItsKey() throws Exception {
        Run run = check(groups -> groups.get("KinesisSource").setProperty("stream.name", "nope"));

        assertThat(run.status).as(run.toString()).isEqualTo(2);
        assertThat(run.lines())
                .contains(
                        "FAIL KinesisSource.stream.name: stream 'nope' does not exist (endpoint "
                                + KINESIS.endpoint()
                                + ") — create it, or fix the stream name or aws.region");
    }

    @Test
    void aBucketThatDoesNotExistIsNamedByItsKey() throws Exception {
        Run run =
                check(
                        groups ->
                                groups.get(StagingOptions.GROUP)
                                        .setProperty(
                                                StagingOptions.BUCKET.key(), "no-such-bucket"));

        assertThat(run.status).as(run.toString()).isEqualTo(2);
        assertThat(run.lines())
                .contains(
                        "FAIL S3.bucket: bucket 'no-such-bucket' does not exist — create it, or"
                                + " fix the bucket name");
    }

    @Test
    void wrongS3CredentialsAreAccessDeniedAndTheSecretIsNeverPrinted() throws Exception {
        String wrongSecret = "wrong-s3-secret-key-123";
        Run run =
                check(
                        groups ->
                                groups.get(StagingOptions.GROUP)
                                        .setProperty("s3.secret-key", wrongSecret));

        assertThat(run.status).as(run.toString()).isEqualTo(2);
        assertThat(run.lines())
                .contains(
                        "FAIL S3.bucket: access denied to put an object under s3://"
                                + BUCKET
                                + "/"
                                + PREFIX
                                + " — give the job's credentials s3:PutObject and s3:DeleteObject"
                                + " there (locally: s3.access-key and s3.secret-key)");
        assertThat(run.out + run.err).doesNotContain(wrongSecret);
    }

    @Test
    void aWrongPasswordIsRefusedAndNamedByThePasswordKey() throws Exception {
        String wrongPassword = "not-the-password-42";
        Run run =
                check(
                        groups ->
                                groups.get(WarehouseOptions.GROUP)
                                        .setProperty(
                                                WarehouseOptions.PASSWORD.key(), wrongPassword));

        assertThat(run.status).as(run.toString()).isEqualTo(2);
        assertThat(run.lines())
                .contains(
                        "FAIL Warehouse.password: the warehouse refused the credentials (28P01)"
                                + " FATAL: password authentication failed for user \""
                                + LOADER
                                + "\" — check the username and the password this key gives");
        assertThat(run.out + run.err).doesNotContain(wrongPassword);
    }

    @Test
    void aTableThatDoesNotExistIsNamedByItsKey() throws Exception {
        Run run =
                check(
                        groups ->
                                groups.get(WarehouseOptions.GROUP)
                                        .setProperty(
                                                WarehouseOptions.TABLE.key(), SCHEMA + ".missing"));

        assertThat(run.status).as(run.toString()).isEqualTo(2);
        assertThat(run.lines())
                .contains(
                        "FAIL Warehouse.table: table "
                                + SCHEMA
                                + ".missing does not exist, or this user has no privilege on it"
                                + " — create it, or grant INSERT on it to this user");
    }

    @Test
    void aColumnTheTableLacksIsNamed() throws Exception {
        Run run =
                check(
                        groups ->
                                groups.get(WarehouseOptions.GROUP)
                                        .setProperty(
                                                WarehouseOptions.COLUMNS.key(),
                                                COLUMNS + ",country"));

        assertThat(run.status).as(run.toString()).isEqualTo(2);
        assertThat(run.lines())
                .contains(
                        "FAIL Warehouse.columns: table "
                                + TABLE
                                + " has no column country — add it to the table or remove it"
                                + " from the list");
    }

    @Test
    void aUserWithoutInsertOrLedgerRightsIsToldWhatToGrant() throws Exception {
        Run run =
                check(
                        groups -> {
                            Properties warehouse = groups.get(WarehouseOptions.GROUP);
                            warehouse.setProperty(WarehouseOptions.USERNAME.key(), READER);
                            warehouse.setProperty(WarehouseOptions.PASSWORD.key(), READER_PASSWORD);
                            warehouse.setProperty(WarehouseOptions.LEDGER_SCHEMA.key(), SCHEMA);
                        });

        assertThat(run.status).as(run.toString()).isEqualTo(2);
        assertThat(run.lines())
                .contains(
                        "ok warehouse accepts the credentials",
                        "FAIL Warehouse.username: this user may not INSERT into "
                                + TABLE
                                + ", which COPY needs — GRANT INSERT ON \""
                                + SCHEMA
                                + "\".\"user_events\" TO the loader's user");
        assertThat(run.lines())
                .anySatisfy(
                        line ->
                                assertThat(line)
                                        .startsWith(
                                                "FAIL Warehouse.ledger.schema: the first load"
                                                        + " creates sluice_load_ledger,"
                                                        + " sluice_loaded_files, sluice_lock_"));
        assertThat(run.out + run.err).doesNotContain(READER_PASSWORD);
    }

    @Test
    void theWarehouseSelfTestRunsTheLoadProtocolOncePerFormatAndCleansUp() throws Exception {
        Run run = check(groups -> {}, "--warehouse-selftest");

        assertThat(run.status).as(run.toString()).isZero();
        for (String format : List.of("json", "csv")) {
            assertThat(run.lines())
                    .as(run.toString())
                    .contains(
                            "ok " + format + " connect",
                            "ok " + format + " ledger tables",
                            "ok " + format + " ledger check",
                            "ok " + format + " manifest",
                            "ok " + format + " lock",
                            "ok " + format + " copy",
                            "ok " + format + " ledger record",
                            "ok " + format + " commit",
                            "ok "
                                    + format
                                    + " read back: 3 rows as staged, NULL and '' kept apart,"
                                    + " non-ASCII intact",
                            "ok " + format + " ledger: loading the same files again loads nothing");
            assertThat(run.lines())
                    .anySatisfy(
                            line ->
                                    assertThat(line)
                                            .startsWith(
                                                    "ok " + format + " staged 3 rows in 2 files")
                                            .contains(
                                                    "dt=2026-01-01 00%3A00/r\u00e9sum\u00e9 \u6587/"));
        }
        assertThat(run.lines())
                .contains(
                        "skipped parquet: the postgres dialect cannot load Parquet",
                        "ok self-test passed");
        // postgres isolates the rejected row in both formats: the good row loads, the rejected
        // one goes to errors/load-rejected/.
        for (String format : List.of("json", "csv")) {
            assertThat(run.lines())
                    .anySatisfy(
                            line ->
                                    assertThat(line)
                                            .startsWith(
                                                    "ok "
                                                            + format
                                                            + " rejected row: isolated, the good"
                                                            + " row loaded, the rejected one"
                                                            + " written to s3://"));
        }
        assertThat(
                        POSTGRES.queryLong(
                                "SELECT count(*) FROM pg_namespace"
                                        + " WHERE nspname LIKE 'sluice_selftest_%'"))
                .as("the scratch schema is dropped")
                .isZero();
        assertThat(S3.listAllKeys(BUCKET, PREFIX + "sluice-selftest/"))
                .as("what the self-test staged is deleted")
                .allMatch(key -> key.endsWith("/"));
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + TABLE))
                .as("the target table is untouched")
                .isZero();
    }

    @Test
    void aSelfTestUserWhoMayNotWriteTheLedgerFailsAtTheLedgerRecordStep() throws Exception {
        String user = "selftest_limited";
        String password = "limited-secret-7";
        String scratch = "selftest_given";
        POSTGRES.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + password + "'");
        POSTGRES.execute("GRANT USAGE ON SCHEMA " + SCHEMA + " TO " + user);
        POSTGRES.execute("GRANT INSERT ON " + TABLE + " TO " + user);
        POSTGRES.execute("CREATE SCHEMA " + scratch);
        POSTGRES.execute("GRANT USAGE, CREATE ON SCHEMA " + scratch + " TO " + user);
        // An administrator created the ledger in the scratch schema and granted reading only.
        for (String ddl :
                new dev.sluice.sinks.warehouse.LoadLedger(
                                scratch, dev.sluice.sinks.warehouse.WarehouseDialect.POSTGRES)
                        .createStatements()) {
            POSTGRES.execute(ddl);
        }
        POSTGRES.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + scratch + " TO " + user);

        Run run =
                check(
                        groups -> {
                            Properties warehouse = groups.get(WarehouseOptions.GROUP);
                            warehouse.setProperty(WarehouseOptions.USERNAME.key(), user);
                            warehouse.setProperty(WarehouseOptions.PASSWORD.key(), password);
                        },
                        "--warehouse-selftest",
                        "--scratch-schema",
                        scratch);

        assertThat(run.status).as(run.toString()).isEqualTo(2);
        assertThat(run.lines())
                .as(run.toString())
                .containsSubsequence(
                        "ok json copy",
                        "FAIL self-test json ledger record: (42501) ERROR: permission denied for"
                                + " table sluice_load_ledger",
                        "FAIL self-test: see the lines above");
        assertThat(run.lines()).doesNotContain("ok json commit", "ok json read back");
        assertThat(run.out + run.err).doesNotContain(password);
    }

    /** Runs the command on the passing configuration, changed by {@code change}. */
    private Run check(Consumer<Map<String, Properties>> change, String... extraArgs)
            throws Exception {
        Map<String, Properties> groups =
                StackPropertyGroups.builder(KINESIS.emulator(), S3.server(), POSTGRES.server())
                        .stream(STREAM)
                        .bucket(BUCKET)
                        .prefix(PREFIX)
                        .table(TABLE)
                        .columns(COLUMNS)
                        .bufferingIntervalSeconds(CheckpointInterval.secondsOf(1_000))
                        .build();
        Properties warehouse = groups.get(WarehouseOptions.GROUP);
        warehouse.setProperty(WarehouseOptions.USERNAME.key(), LOADER);
        warehouse.setProperty(WarehouseOptions.PASSWORD.key(), LOADER_PASSWORD);
        change.accept(groups);
        Path config = dir.resolve("config.json");
        LocalConfig.write(groups, config);
        String[] args = new String[2 + extraArgs.length];
        args[0] = "--config";
        args[1] = config.toString();
        System.arraycopy(extraArgs, 0, args, 2, extraArgs.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long started = System.nanoTime();
        int status =
                CheckCommand.run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                status,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8),
                (System.nanoTime() - started) / 1_000_000);
    }

    record Run(int status, String out, String err, long millis) {
        List<String> lines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + status + " after " + millis + " ms\n" + out + "\nstderr:\n" + err;
        }
    }
}
