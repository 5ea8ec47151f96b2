package dev.sluice.job;

import dev.sluice.job.config.SluiceConfig;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Submitting, waiting for, and stopping jobs that whole-job tests run on the MiniCluster. */
final class JobClients {

    /** How often a failed stop-with-savepoint is tried again; see {@link #stopWithSavepoint}. */
    private static final int STOP_ATTEMPTS = 3;

    private JobClients() {}

    /**
     * Submits the Sluice job of these property groups, named {@code name}, at {@code parallelism}
     * with a checkpoint every {@code checkpointIntervalMs}, restored from {@code savepoint} unless
     * that is null.
     */
    static JobClient submit(
            Map<String, Properties> groups,
            int parallelism,
            long checkpointIntervalMs,
            String savepoint,
            String name)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.enableCheckpointing(checkpointIntervalMs);
        SluicePipeline.build(env, SluiceConfig.from(groups));
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        }
        return env.executeAsync(graph);
    }

    /** A condition polled until it holds. */
    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    /** Polls {@code condition} every 200 ms; fails if the job ends or the timeout passes. */
    static void await(String what, JobClient job, Duration timeout, Check condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
            assertThat(status.isGloballyTerminalState())
                    .as("%s: the job ended (%s)", what, status)
                    .isFalse();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    /**
     * Stop-with-savepoint, tried again when it fails: with the legacy {@code FlinkKinesisConsumer}
     * a stop can fail the source task ("The Source Context has been closed already", from the
     * connector's periodic watermark timer firing after the source closed), and Flink then restarts
     * the job from its latest checkpoint instead of stopping it. That is a defect of the connector,
     * not of what these tests check; each retry is printed.
     *
     * @return the savepoint's path, and how many stops failed before it
     */
    static Stopped stopWithSavepoint(JobClient job, Path directory, Duration timeout)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                String savepoint =
                        job.stopWithSavepoint(
                                        false,
                                        directory.toUri().toString(),
                                        SavepointFormatType.CANONICAL)
                                .get(timeout.toSeconds(), TimeUnit.SECONDS);
                return new Stopped(savepoint, attempt - 1);
            } catch (ExecutionException e) {
                if (attempt == STOP_ATTEMPTS) {
                    throw e;
                }
                System.out.println(
                        "stop-with-savepoint of "
                                + job.getJobID()
                                + " failed, trying again: "
                                + e.getCause());
                await(
                        "the job running again after a failed stop",
                        job,
                        timeout,
                        () -> job.getJobStatus().get() == JobStatus.RUNNING);
                Thread.sleep(3_000);
            }
        }
    }

    /** A finished stop-with-savepoint. */
    record Stopped(String savepoint, int failedStops) {}
}
