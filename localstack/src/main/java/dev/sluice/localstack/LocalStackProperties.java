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
 * the jar is used outside this checkout.
 */
final class LocalStackProperties {

    private static final String RESOURCE = "localstack.properties";
    private static final Properties PROPERTIES = load();

    private LocalStackProperties() {}

    /** The self-contained S3Proxy jar ({@code org.gaul:s3proxy:jar-with-dependencies}). */
    static Path s3ProxyJar() {
        return existing("s3proxy.jar");
    }

    /** The directory holding {@code package.json}, {@code node_modules} and {@code bind-loopback.js}. */
    static Path nodeDir() {
        return existing("node.dir");
    }

    private static Path existing(String key) {
        String value = System.getProperty("sluice.localstack." + key, PROPERTIES.getProperty(key));
        if (value == null || value.contains("${")) {
            throw new IllegalStateException(
                    "'" + key + "' is not set in " + RESOURCE + " (was the resource filtered by Maven?)");
        }
        Path path = Paths.get(value);
        if (!Files.exists(path)) {
            throw new IllegalStateException(
                    "'" + key + "' points to " + path + ", which does not exist;"
                            + " build the localstack module (mvn -pl localstack install) first");
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
