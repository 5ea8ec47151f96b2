package dev.sluice.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;

/**
 * Locations of the stand-ins' runtime files, as recorded by the module's build.
 *
 * <p>The S3Proxy jar and the npm-installed emulators are not Java classpath resources: the build
 * copies the former to {@code target/runtime} and installs the latter under {@code node/}, and
 * writes both paths into the filtered {@code localstack.properties}. System properties {@code
 * sluice.localstack.s3proxy.jar} and {@code sluice.localstack.node.dir} override them, e.g. when
 * the jar is used outside this checkout. The same holds for the Flink session cluster's class path
 * file and plugins folder, which the {@code flink-cluster} module's build writes ({@code
 * sluice.localstack.flink.classpath.file}, {@code sluice.localstack.flink.plugins.dir}).
 */
final class LocalStackProperties {

    private static final String RESOURCE = "localstack.properties";
    private static final Properties PROPERTIES = load();

    private LocalStackProperties() {}

    /** The self-contained S3Proxy jar ({@code org.gaul:s3proxy:jar-with-dependencies}). */
    static Path s3ProxyJar() {
        return existing("s3proxy.jar");
    }

    /**
     * The directory holding {@code package.json}, {@code node_modules} and {@code
     * bind-loopback.js}.
     */
    static Path nodeDir() {
        return existing("node.dir");
    }

    /**
     * The class path of a Flink distribution's {@code lib/} folder, one line with {@code :}
     * separators, as the {@code flink-cluster} module's build wrote it.
     */
    static Path flinkClasspathFile() {
        return existing("flink.classpath.file");
    }

    /** A Flink plugins folder holding {@code s3-fs-hadoop/flink-s3-fs-hadoop-<version>.jar}. */
    static Path flinkPluginsDir() {
        return existing("flink.plugins.dir");
    }

    private static Path existing(String key) {
        String value = System.getProperty("sluice.localstack." + key, PROPERTIES.getProperty(key));
        if (value == null || value.contains("${")) {
            throw new IllegalStateException(
                    "'"
                            + key
                            + "' is not set in "
                            + RESOURCE
                            + " (was the resource filtered by Maven?)");
        }
        Path path = Paths.get(value);
        if (!Files.exists(path)) {
            throw new IllegalStateException(
                    "'"
                            + key
                            + "' points to "
                            + path
                            + ", which does not exist;"
                            + " build the localstack module and what it depends on (mvn -pl localstack -am install) first");
        }
        return path;
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = LocalStackProperties.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
        return properties;
    }
}
