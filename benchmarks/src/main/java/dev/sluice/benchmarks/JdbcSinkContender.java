package dev.sluice.benchmarks;

import dev.sluice.localstack.DemoEvents;
import dev.sluice.localstack.PostgresServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.Collections;
import java.util.concurrent.TimeUnit;

/**
 * flink-connector-jdbc's {@code JdbcSink} with batched INSERTs, reading the same GZIP JSON-lines
 * files with Flink's {@code FileSource}: what a Flink user would write instead of a COPY-based
 * loader. Timed by the job's net runtime, so MiniCluster start-up is not counted against it.
 */
final class JdbcSinkContender implements Contender {

    static final int BATCH_SIZE = 5_000;

    private final PostgresServer postgres;
    private final String table;
    private final int parallelism;
    private long netRuntimeMillis;

    JdbcSinkContender(PostgresServer postgres, String table, int parallelism) {
        this.postgres = postgres;
        this.table = table;
        this.parallelism = parallelism;
    }

    @Override
    public String name() {
        return "Flink JdbcSink (batched INSERT)";
    }

    @Override
    public String notes() {
        return "FileSource of the same GZIP JSON lines, Jackson, JdbcSink batch "
                + BATCH_SIZE
                + ", parallelism "
                + parallelism
                + ", at-least-once";
    }

    /** The job's own runtime: the harness uses it instead of wall-clock time. */
    long netRuntimeMillis() {
        return netRuntimeMillis;
    }

    @Override
    public void run(BenchmarkData data) throws Exception {
        Configuration conf = new Configuration();
        conf.setString("rest.bind-address", "127.0.0.1");
        conf.setString("taskmanager.host", "127.0.0.1");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        Path[] inputs =
                data.jsonGzipFiles.stream().map(p -> new Path(p.toUri())).toArray(Path[]::new);
        String placeholders =
                String.join(",", Collections.nCopies(BenchmarkData.COLUMNS.length, "?"));
        env.fromSource(
                        FileSource.forRecordStreamFormat(new TextLineInputFormat(), inputs).build(),
                        WatermarkStrategy.noWatermarks(),
                        "staged files")
                .map(new ToColumns())
                .returns(Types.OBJECT_ARRAY(Types.STRING))
                .addSink(
                        JdbcSink.sink(
                                "INSERT INTO "
                                        + table
                                        + " ("
                                        + DemoEvents.COLUMNS
                                        + ") VALUES ("
                                        + placeholders
                                        + ")",
                                (statement, row) -> {
                                    for (int i = 0; i < row.length; i++) {
                                        statement.setString(i + 1, row[i]);
                                    }
                                },
                                JdbcExecutionOptions.builder()
                                        .withBatchSize(BATCH_SIZE)
                                        .withBatchIntervalMs(0)
                                        .withMaxRetries(0)
                                        .build(),
                                new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                                        .withUrl(
                                                postgres.jdbcUrl()
                                                        + "?stringtype=unspecified&reWriteBatchedInserts=true")
                                        .withDriverName("org.postgresql.Driver")
                                        .withUsername(postgres.user())
                                        .withPassword(postgres.password())
                                        .build()));
        JobExecutionResult result = env.execute("JdbcSink benchmark");
        netRuntimeMillis = result.getNetRuntime(TimeUnit.MILLISECONDS);
    }

    /** JSON line → the table's columns as text, in column-list order. */
    private static final class ToColumns extends RichMapFunction<String, String[]> {

        private transient ObjectMapper mapper;

        @Override
        public void open(Configuration parameters) {
            mapper = new ObjectMapper();
        }

        @Override
        public String[] map(String line) throws Exception {
            JsonNode event = mapper.readTree(line);
            String[] row = new String[BenchmarkData.COLUMNS.length];
            for (int i = 0; i < row.length; i++) {
                JsonNode value = event.get(BenchmarkData.COLUMNS[i]);
                row[i] = value == null || value.isNull() ? null : value.asText();
            }
            return row;
        }
    }
}
