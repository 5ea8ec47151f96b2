package dev.sluice.sinks.s3.errors;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads error files back: what a replay tool, the local run and the tests do with them. */
public final class ErrorFiles {

    private ErrorFiles() {}

    /**
     * Whether the object {@code key} under {@code errors/} holds error records that {@link #read}
     * can read: a finished GZIP JSON-lines part file of {@code processing-failed/}, {@code
     * format-conversion-failed/}, {@code partitioning-failed/} or a {@code load-rejected/} object.
     * Not the {@code .manifest} and {@code .error.json} documents of {@code load-failed/} (a load
     * that gave up, whose rows are in the data files it lists), and not the hidden in-progress or
     * {@code _part-*_tmp_*} objects a failed FileSink attempt can leave.
     */
    public static boolean holdsRecords(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return name.endsWith(".gz")
                && !name.startsWith(".")
                && !name.startsWith("_")
                && !name.contains("_tmp_")
                && !key.contains("/load-failed/");
    }

    /** The envelopes in one GZIP JSON-lines error object, in file order. */
    public static List<ErrorEnvelope> read(byte[] gzipObject) {
        List<ErrorEnvelope> out = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(new ByteArrayInputStream(gzipObject)),
                                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(ErrorEnvelope.fromJson(line.getBytes(StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
