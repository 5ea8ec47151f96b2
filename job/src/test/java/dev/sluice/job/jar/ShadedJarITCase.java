package dev.sluice.job.jar;

import dev.sluice.localstack.JobJar;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded job jar carries what Flink does not: writing Parquet (every codec) and CSV works with
 * only the jar and Flink's own classes on the class path. A missing Hadoop class, codec or Avro
 * dependency would otherwise show up only when a cluster first writes a file.
 *
 * <p>Runs after {@code package}, against the jar the build just produced. The class path of the
 * probe is this test's, minus everything the job jar is meant to bring (Parquet, Avro, Hadoop and
 * its XML parser, zstd) and minus Sluice's own modules.
 */
class ShadedJarITCase {

    /** Class path entries Flink's distribution does not provide; the job jar must. */
    private static final List<String> BROUGHT_BY_THE_JAR =
            List.of(
                    "/org/apache/parquet/",
                    "/org/apache/avro/",
                    "/org/apache/hadoop/",
                    "/org/apache/flink/flink-parquet/",
                    "/org/apache/flink/flink-avro/",
                    "/org/apache/flink/flink-s3-fs-hadoop/",
                    "/com/github/luben/",
                    "/com/fasterxml/woodstox/",
                    "/org/codehaus/woodstox/",
                    "/dev/sluice/",
                    "/target/classes");

    @Test
    void parquetAndCsvWriteWithOnlyTheJarAndFlink(@TempDir Path probeDir) throws Exception {
        Path jar = jobJar();
        List<URL> urls = new ArrayList<>();
        urls.add(jar.toUri().toURL());
        urls.add(probeClasses(probeDir).toUri().toURL());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String normalized = entry.replace(File.separatorChar, '/');
            boolean sluiceModule =
                    normalized.endsWith("/target/test-classes")
                            || Path.of(entry).getFileName().toString().startsWith("sluice-");
            if (BROUGHT_BY_THE_JAR.stream().noneMatch(normalized::contains) && !sluiceModule) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        System.setProperty(
                FormatWriterProbe.SCHEMA_FILE,
                Path.of("..", "conf", "user_events.avsc").toAbsolutePath().toString());

        try (URLClassLoader isolated =
                new URLClassLoader(
                        urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            assertThat(
                            isolated.loadClass("org.apache.hadoop.conf.Configuration")
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation())
                    .as("Hadoop comes from the job jar")
                    .isEqualTo(jar.toUri().toURL());
            @SuppressWarnings("unchecked")
            Callable<List<Long>> probe =
                    (Callable<List<Long>>)
                            isolated.loadClass(FormatWriterProbe.class.getName())
                                    .getDeclaredConstructor()
                                    .newInstance();
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(isolated);
            try {
                assertThat(probe.call())
                        .hasSize(4)
                        .allSatisfy(size -> assertThat(size).isPositive());
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }
    }

    /**
     * AWS SDK v2's default credentials chain (Secrets Manager's client) finds a web identity token
     * (IRSA on EKS) only when STS's provider factory can be loaded by name; without it the chain
     * skips web identity silently.
     */
    @Test
    void carriesStsSoTheSecretsManagerClientCanUseAWebIdentity() throws Exception {
        try (JarFile jar = new JarFile(jobJar().toFile())) {
            assertThat(
                            jar.getEntry(
                                    "software/amazon/awssdk/services/sts/internal/"
                                            + "StsWebIdentityCredentialsProviderFactory.class"))
                    .isNotNull();
        }
    }

    /**
     * A FIREHOSE output runs flink-connector-aws's Firehose sink, whose SDK v2 async client uses
     * the Netty HTTP client: no Flink distribution or MSF runtime provides these, so the job jar
     * must (Flink's own Netty is relocated and is not this one).
     */
    @Test
    void carriesTheFirehoseSinkWithItsAsyncClient() throws Exception {
        try (JarFile jar = new JarFile(jobJar().toFile())) {
            assertThat(
                            jar.getEntry(
                                    "org/apache/flink/connector/firehose/sink/KinesisFirehoseSink.class"))
                    .isNotNull();
            assertThat(
                            jar.getEntry(
                                    "software/amazon/awssdk/services/firehose/FirehoseAsyncClient.class"))
                    .isNotNull();
            assertThat(
                            jar.getEntry(
                                    "software/amazon/awssdk/http/nio/netty/NettyNioAsyncHttpClient.class"))
                    .isNotNull();
        }
    }

    /**
     * The job jar is the job: no emulated stack (which {@code ./sluice local} starts) and none of
     * the {@code ./sluice} commands, which live in the tools module and its own jar; but the public
     * transform API, which a user's transform and the job both need at run time.
     */
    @Test
    void carriesTheJobAndTheApiButNoToolsOrEmulatedStack() throws IOException {
        List<String> entries;
        try (JarFile jar = new JarFile(jobJar().toFile())) {
            entries = jar.stream().map(JarEntry::getName).collect(Collectors.toList());
        }
        assertThat(entries)
                .as("entries of the shaded job jar")
                .contains(
                        "dev/sluice/job/SluiceJob.class",
                        "dev/sluice/operators/transform/SluiceTransform.class",
                        "dev/sluice/operators/transform/TransformResult.class",
                        "dev/sluice/operators/transform/keyed/KeyedSluiceTransform.class",
                        "dev/sluice/operators/transform/keyed/KeyedContext.class",
                        "dev/sluice/operators/transform/keyed/TimerContext.class",
                        "dev/sluice/operators/record/SluiceRecord.class");
        List<String> notTheJob =
                List.of(
                        "dev/sluice/localstack/",
                        "dev/sluice/tools/",
                        "dev/sluice/job/local/",
                        "dev/sluice/job/cli/",
                        "dev/sluice/benchmarks/",
                        "io/zonky/",
                        "org/gaul/s3proxy/");
        assertThat(entries.stream().filter(e -> notTheJob.stream().anyMatch(e::startsWith)))
                .as("entries of the job jar from the emulated stack, the tools or the benchmarks")
                .isEmpty();
    }

    static Path jobJar() {
        return JobJar.find(Path.of("target"));
    }

    /**
     * Only the probe's own package of the test classes, copied, so no other test class leaks in.
     */
    private static Path probeClasses(Path root) throws IOException {
        String relative = FormatWriterProbe.class.getName().replace('.', '/') + ".class";
        Path source = Path.of("target", "test-classes", relative);
        Path target = root.resolve(relative);
        Files.createDirectories(target.getParent());
        Files.copy(source, target);
        return root;
    }
}
