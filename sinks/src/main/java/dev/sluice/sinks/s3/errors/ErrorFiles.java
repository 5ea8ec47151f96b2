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
