package dev.sluice.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link SluiceJob} started the way a user starts it without a cluster — {@code java -cp …
 * dev.sluice.job.SluiceJob --config FILE}, with the classpath and JVM options of {@code ./sluice
 * local} — in a JVM of its own, so that a test can end it with SIGKILL: no operator is closed, no
 * checkpoint is taken, whatever was in flight is simply gone.
 */
final class SluiceJobProcess implements AutoCloseable {

    private static final Path JOB_TARGET = Path.of("target");

    private final Process process;
    private final Path log;

    private SluiceJobProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the job with this configuration file; its log goes to {@code <logDir>/<name>.log}. */
    static SluiceJobProcess start(Path config, Path logDir, String name) throws IOException {
        Path log = logDir.resolve(name + ".log");
        Path log4j = logDir.resolve(name + "-log4j2.properties");
        Files.writeString(
                log4j,
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = File",
                        "logger.kinesis.name = org.apache.flink.kinesis.shaded",
                        "logger.kinesis.level = WARN",
                        "logger.hadoop.name = org.apache.hadoop",
                        "logger.hadoop.level = WARN",
                        "appender.file.type = File",
                        "appender.file.name = File",
                        "appender.file.fileName = " + log.toAbsolutePath(),
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c{1.} - %m%n",
                        ""));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx768m");
        for (String option : read("jvm-options.txt").split("\\s+")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        command.add("-Dlog4j2.configurationFile=" + log4j.toAbsolutePath());
        command.add("-Dorg.apache.flink.kinesis.shaded.com.amazonaws.sdk.disableCbor=true");
        command.add("-Daws.java.v1.disableDeprecationAnnouncement=true");
        // The FLIP-27 source's SDK v2 (relocated by the connector, the property name is not).
        command.add("-Daws.cborEnabled=false");
        command.add("-cp");
        command.add(
                read("local-classpath.txt") + ":" + JOB_TARGET.resolve("classes").toAbsolutePath());
        command.add(SluiceJob.class.getName());
        command.add("--config");
        command.add(config.toAbsolutePath().toString());
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("AWS_CBOR_DISABLE", "true");
        return new SluiceJobProcess(builder.start(), log);
    }

    private static String read(String file) throws IOException {
        Path path = JOB_TARGET.resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(
                    path.toAbsolutePath() + " is missing: build the job module");
        }
        return Files.readString(path).trim();
    }

    /** Waits for the JVM to end by itself; its exit code. */
    int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(
                    "pid " + process.pid() + " still runs after " + timeout);
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Ends the JVM with SIGKILL and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pid " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    String logText() throws IOException {
        return Files.isRegularFile(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** The last lines of its log, for failure messages. */
    String logTail() throws IOException {
        List<String> lines = Files.isRegularFile(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
