package dev.sluice.tools;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code target/sluice-tools.jar} runs with Java alone: the commands start from a shell whose
 * {@code PATH} holds nothing but a link to the {@code java} binary and whose environment is
 * otherwise empty (no {@code JAVA_HOME}, no Maven, no Node), as on a machine with only a JRE.
 *
 * <p>Runs after {@code package}, against the jar the build just produced.
 */
class ToolsJarITCase {

    private static final Path JAR = Path.of("target", "sluice-tools.jar").toAbsolutePath();

    @TempDir static Path onlyJava;

    @BeforeAll
    static void aPathWithOnlyJava() throws IOException {
        assertThat(JAR).as("the tools jar (run after package)").isRegularFile();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        Files.createSymbolicLink(onlyJava.resolve("java"), java);
    }

    @Test
    void replayHelpRunsWithOnlyJavaOnThePath() throws Exception {
        Result result = run("java -jar " + JAR + " replay --help");
        assertThat(result.status).as("exit status; stderr: %s", result.err).isZero();
        assertThat(result.out).contains("usage: ./sluice replay --config FILE");
    }

    @Test
    void checkHelpRunsWithOnlyJavaOnThePath() throws Exception {
        Result result = run("java -jar " + JAR + " check --help");
        assertThat(result.status).as("exit status; stderr: %s", result.err).isZero();
        assertThat(result.out).contains("usage: ./sluice check --config FILE");
    }

    @Test
    void importFirehoseConvertsAFileWithOnlyJavaOnThePath(@TempDir Path dir) throws Exception {
        Path firehose = dir.resolve("firehose.json");
        Files.writeString(
                firehose,
                """
                {"RoleARN": "arn:aws:iam::123456789012:role/firehose",
                 "ClusterJDBCURL": "jdbc:redshift://example.eu-west-1.redshift.amazonaws.com:5439/dev",
                 "CopyCommand": {"DataTableName": "events", "DataTableColumns": "id,body",
                                 "CopyOptions": "json 'auto' gzip"},
                 "Username": "loader",
                 "S3Configuration": {"RoleARN": "arn:aws:iam::123456789012:role/firehose",
                                     "BucketARN": "arn:aws:s3:::sluice-staging",
                                     "Prefix": "events/"}}
                """);
        Path out = dir.resolve("sluice-config.json");
        Result result = run("java -jar " + JAR + " import-firehose " + firehose + " --out " + out);
        assertThat(result.status).as("exit status; stderr: %s", result.err).isZero();
        assertThat(Files.readString(out)).contains("sluice-staging").contains("events");
    }

    @Test
    void anUnknownCommandIsAUsageError() throws Exception {
        Result result = run("java -jar " + JAR + " frobnicate");
        assertThat(result.status).isEqualTo(2);
        assertThat(result.err).contains("unknown command 'frobnicate'").contains("replay");
    }

    @Test
    void theJarRunsWithoutJvmFlags() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(SluiceTools.class.getName());
            assertThat(jar.getManifest().getMainAttributes().getValue("Add-Opens"))
                    .contains("java.base/java.util");
        }
    }

    private static Result run(String commandLine) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", commandLine));
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", onlyJava.toString());
        Path out = Files.createTempFile(onlyJava.getParent(), "tools-out", ".txt");
        Path err = Files.createTempFile(onlyJava.getParent(), "tools-err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished in 120 s").isTrue();
        return new Result(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Result(int status, String out, String err) {}
}
