package dev.sluice.sinks.warehouse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes JSON-lines files into a test's directory, as FileSink would, and names them by their
 * {@code file:} urls. Public for the tests of the committer that drives the loader.
 */
public final class StagedFiles {

    private final Path directory;

    public StagedFiles(Path directory) {
        this.directory = directory;
    }

    /** A GZIP JSON-lines file {@code name} holding these lines, one per line. */
    public StagedFile gzip(String name, String... lines) throws IOException {
        return write(name, true, String.join("\n", lines) + "\n");
    }

    /** A GZIP JSON-lines file of {@code count} rows {@code {"id":first..,"name":"row-<id>"}}. */
    public StagedFile rows(String name, int first, int count) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int id = first; id < first + count; id++) {
            text.append("{\"id\":")
                    .append(id)
                    .append(",\"name\":\"row-")
                    .append(id)
                    .append("\"}\n");
        }
        return write(name, true, text.toString());
    }

    /** An uncompressed file with exactly this content. */
    public StagedFile plain(String name, String content) throws IOException {
        return write(name, false, content);
    }

    /** An uncompressed file with exactly these bytes. */
    public StagedFile bytes(String name, byte[] content) throws IOException {
        Path file = directory.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return new StagedFile(file.toUri().toString(), Files.size(file));
    }

    private StagedFile write(String name, boolean gzip, String content) throws IOException {
        Path file = directory.resolve(name);
        Files.createDirectories(file.getParent());
        try (OutputStream out =
                gzip
                        ? new GZIPOutputStream(Files.newOutputStream(file))
                        : Files.newOutputStream(file)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return new StagedFile(file.toUri().toString(), Files.size(file));
    }
}
