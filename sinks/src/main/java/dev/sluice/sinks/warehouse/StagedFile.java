package dev.sluice.sinks.warehouse;

import java.io.Serializable;
import java.util.Objects;

/**
 * A file that Flink's FileSink has committed and that now waits to be loaded.
 *
 * <p>The url is the file's identity everywhere in the loader: in the manifest, in the {@link
 * LoadId} and as the key of the {@link LoadLedger}. It is kept exactly as given (no normalisation),
 * so the committer must always describe the same file by the same string, which it does by taking
 * it from the FileSink's own {@code Path}. Production urls are {@code s3://bucket/key}; tests use
 * {@code file:///…}. The size becomes the manifest's {@code meta.content_length}, which Redshift
 * requires for columnar formats.
 *
 * @param url where the file is, readable through Flink's {@code FileSystem}
 * @param sizeBytes the file's size in bytes
 */
public record StagedFile(String url, long sizeBytes) implements Serializable {

    private static final long serialVersionUID = 1L;

    public StagedFile {
        Objects.requireNonNull(url, "url");
        if (url.isBlank()) {
            throw new IllegalArgumentException("A staged file's url must not be blank");
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException(
                    "A staged file's size must not be negative, got " + sizeBytes + " for " + url);
        }
    }
}
