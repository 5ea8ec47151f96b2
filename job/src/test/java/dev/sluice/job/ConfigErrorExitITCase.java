package dev.sluice.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code SluiceJob --config} started as a user starts it without a cluster (a JVM of its own) with
 * configuration it must refuse: it ends with exit code 2 and one line naming the problem, not a
 * stack trace. No service is needed: the configuration is refused before any is contacted.
 */
class ConfigErrorExitITCase {

    @TempDir Path dir;

    @Test
    void aMissingRequiredKeyEndsTheRunWithExitCode2AndOneLineNamingGroupAndKey() throws Exception {
        Path config = dir.resolve("missing-stream.json");
        Files.writeString(
                config,
                "[{\"PropertyGroupId\": \"KinesisSource\", \"PropertyMap\": {\"aws.region\":"
                        + " \"us-east-1\"}}]");

        List<String> lines = runAndCollect(config, "missing-stream");

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .startsWith("sluice: invalid configuration: ")
                .contains("KinesisSource")
                .contains("stream.name")
                .doesNotContain("Description@");
    }

    @Test
    void malformedJsonEndsTheRunWithExitCode2AndOneLineGivingFileLineAndColumn() throws Exception {
        Path config = dir.resolve("malformed.json");
        Files.writeString(
                config, "[{\"PropertyGroupId\": \"KinesisSource\",\n  \"PropertyMap\": {");

        List<String> lines = runAndCollect(config, "malformed");

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .startsWith("sluice: invalid configuration: ")
                .contains("malformed.json")
                .containsPattern("line 2");
    }

    /** Runs the job to its end; the lines it printed that are not log lines. */
    private List<String> runAndCollect(Path config, String name) throws Exception {
        try (SluiceJobProcess job = SluiceJobProcess.start(config, dir, name)) {
            int exit = job.waitForExit(Duration.ofSeconds(60));
            String output = job.logText();
            assertThat(exit).as("exit code; output:%n%s", output).isEqualTo(2);
            assertThat(output)
                    .as("no stack trace")
                    .doesNotContain("\tat ")
                    .doesNotContain("Exception");
            return output.lines().filter(line -> !line.isBlank()).toList();
        }
    }
}
