package dev.sluice.sinks.warehouse;

import dev.sluice.sinks.s3.errors.ErrorEnvelope;
import dev.sluice.sinks.s3.errors.ErrorFiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads what the loader wrote under {@code errors/load-rejected/}, for the isolation tests. */
final class RejectedEnvelopes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RejectedEnvelopes() {}

    /**
     * Every line of every object under {@code <directory>/errors/load-rejected/}, each object also
     * checked to be named per staged file and to read as error envelopes.
     */
    static List<JsonNode> under(Path directory) throws IOException {
        Path dir = directory.resolve("errors/load-rejected");
        if (!Files.exists(dir)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().collect(Collectors.toList())) {
                assertThat(file.getFileName().toString()).matches(".*-[0-9a-f]{12}\\.json\\.gz");
                byte[] bytes = Files.readAllBytes(file);
                List<ErrorEnvelope> envelopes = ErrorFiles.read(bytes);
                byte[] text = new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
                for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
                    out.add(JSON.readTree(line));
                }
                assertThat(envelopes)
                        .hasSameSizeAs(out.subList(out.size() - envelopes.size(), out.size()));
            }
        }
        return out;
    }

    /** The staged line an envelope carries, decoded from its base64 {@code rawData}. */
    static String raw(JsonNode envelope) {
        return new String(
                Base64.getDecoder().decode(envelope.path("rawData").asText()),
                StandardCharsets.UTF_8);
    }
}
