package dev.sluice.job.jar;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./sluice run} (and every test or benchmark that starts {@code SluiceJob} in a JVM of its
 * own) runs the job from {@code target/local-classpath.txt} instead of the shaded jar. That class
 * path must hold every class the jar holds: once it left out the runtime-scoped dependencies, and a
 * Parquet output failed there with {@code NoClassDefFoundError} for parquet-jackson's {@code
 * ObjectMapper} though the job jar had it.
 */
class LocalClasspathITCase {

    /**
     * Where the job jar's shade plugin relocates Jackson; the local class path has it unrelocated.
     */
    private static final String RELOCATED = "dev/sluice/shaded/";

    @Test
    void theLocalClassPathHoldsEveryClassTheShadedJobJarHolds() throws IOException {
        Set<String> local = new HashSet<>();
        List<String> entries =
                List.of(
                        Files.readString(Path.of("target", "local-classpath.txt"))
                                .trim()
                                .split(":"));
        for (String entry : entries) {
            Path path = Path.of(entry);
            if (Files.isRegularFile(path)) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    jar.stream().map(JarEntry::getName).forEach(local::add);
                }
            }
        }
        addDirectory(Path.of("target", "classes"), local);

        Set<String> missing;
        try (JarFile jobJar = new JarFile(ShadedJarITCase.jobJar().toFile())) {
            missing =
                    jobJar.stream()
                            .map(JarEntry::getName)
                            .filter(name -> name.endsWith(".class"))
                            .filter(name -> !name.startsWith(RELOCATED))
                            .filter(name -> !name.startsWith("META-INF/"))
                            .filter(name -> !local.contains(name))
                            .collect(Collectors.toCollection(TreeSet::new));
        }

        assertThat(missing)
                .as("classes in the job jar that ./sluice run's class path lacks")
                .isEmpty();
        assertThat(local)
                .as("what a cluster provides is on the local class path too")
                .contains(
                        "org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class");
    }

    private static void addDirectory(Path root, Set<String> names) throws IOException {
        try (var files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                    .forEach(
                            file -> names.add(root.relativize(file).toString().replace('\\', '/')));
        }
    }
}
