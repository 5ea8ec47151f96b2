package dev.sluice.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the shaded job jar the job module's {@code package} wrote, as a user would upload it: what
 * the chaos suite submits and the job jar's own tests inspect.
 */
public final class JobJar {

    private JobJar() {}

    /**
     * The one {@code sluice-job-*.jar} in {@code target}, not the {@code -tests} jar.
     *
     * @throws IllegalArgumentException if there is none or more than one
     */
    public static Path find(Path target) {
        if (!Files.isDirectory(target)) {
            throw new IllegalArgumentException(
                    "no job jar: "
                            + target.toAbsolutePath()
                            + " does not exist (build with mvn -B install -DskipTests, or pass"
                            + " --job-jar)");
        }
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars =
                    files.filter(
                                    p ->
                                            p.getFileName()
                                                    .toString()
                                                    .matches("sluice-job-.+(?<!-tests)\\.jar"))
                            .collect(Collectors.toList());
            if (jars.size() != 1) {
                throw new IllegalArgumentException(
                        "expected one sluice-job-*.jar in "
                                + target.toAbsolutePath()
                                + ", found "
                                + jars);
            }
            return jars.get(0).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + target, e);
        }
    }
}
