package dev.sluice.job;

import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.config.WarehouseOptions;
import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.ProducerRecord;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Credentials the warehouse refuses are not an outage: the job FAILS after its restart strategy's
 * attempts (here fixed-delay, 2 restarts) with the warehouse's own message in the cause chain,
 * instead of retrying for the loader's retry window or restarting forever. Whichever task connects
 * first when the job starts meets the refusal: the source position filter reading the ledger, the
 * staging function reading the column types (mapping on), or the loader; the test runs with the
 * mapping on and off and asserts the outcome, not which of them noticed. That the loader itself
 * treats refused credentials as permanent rather than as an outage is tested where it decides
 * ({@code LoadFailureClassifierTest}, {@code RetryingLoaderTest}).
 */
class PermanentFailureITCase extends LocalStackTestBase {

    private static final String BUCKET = "sluice-permanent-it";
    private static final long BOUND_SECONDS = 120;

    @BeforeAll
    static void createBucket() {
        S3.createBucket(BUCKET);
    }

    @ParameterizedTest(name = "column.types.check={0}")
    @ValueSource(booleans = {true, false})
    void refusedCredentialsFailTheJobWithinItsRestartAttemptsNamingTheCause(boolean mapping)
            throws Exception {
        String name = "wrong_password_" + mapping;
        String stream = "permanent-" + mapping;
        try (Connection c = POSTGRES.connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + name);
            st.execute(DemoEvents.createTableSql(name + ".user_events"));
        }
        KINESIS.streams().createStream(stream, 1);
        Map<String, Properties> groups = demoJobConfig(stream, BUCKET, name + "/", name, 1_000L);
        Properties warehouse = groups.get(WarehouseOptions.GROUP);
        // The embedded PostgreSQL trusts every password, so the credentials are refused by user:
        // "role … does not exist", SQLState 28000, the same class (28) as a wrong password.
        warehouse.setProperty(WarehouseOptions.USERNAME.key(), "no_such_user");
        warehouse.setProperty(WarehouseOptions.COLUMN_TYPES_CHECK.key(), Boolean.toString(mapping));
        // A long retry window: were the failure retried like an outage, the job would not fail
        // within the bound below.
        warehouse.setProperty(WarehouseOptions.RETRY_DURATION_S.key(), "3600");
        SluiceConfig config = SluiceConfig.from(groups);

        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        restarts.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(restarts);
        env.setParallelism(1);
        env.enableCheckpointing(1_000L);
        SluicePipeline.build(env, config);
        JobClient job = env.executeAsync("permanent failure " + mapping);

        List<ProducerRecord> records = new ArrayList<>();
        DemoEvents events = new DemoEvents(50, 7);
        while (events.hasNext()) {
            DemoEvents.Event e = events.next();
            records.add(new ProducerRecord(e.partitionKey(), e.json()));
        }
        KINESIS.streams().producer().putAll(stream, records);

        long started = System.nanoTime();
        try {
            job.getJobExecutionResult().get(BOUND_SECONDS, TimeUnit.SECONDS);
            fail("the job finished instead of failing");
        } catch (ExecutionException e) {
            assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS)).isEqualTo(JobStatus.FAILED);
            assertThat(ExceptionUtils.stringifyException(e))
                    .contains("Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy")
                    .contains("role \"no_such_user\" does not exist");
        } catch (java.util.concurrent.TimeoutException e) {
            job.cancel().get(60, TimeUnit.SECONDS);
            fail("the job was still running after " + BOUND_SECONDS + " s");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isLessThan(Duration.ofSeconds(BOUND_SECONDS));
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM " + name + ".user_events")).isZero();
    }
}
