package dev.sluice.sinks.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A Redshift COPY manifest: the exact list of files one load reads.
 *
 * <pre>{@code
 * {"entries":[
 *   {"url":"s3://bucket/data/part-0-1.gz","mandatory":true,"meta":{"content_length":123}}
 * ]}
 * }</pre>
 *
 * <p>Why a manifest rather than a prefix: a prefix would also pick up files of later checkpoints
 * and Flink's in-progress {@code _part-*_tmp_*} objects. Every entry is {@code mandatory}, so a
 * missing file fails the COPY instead of silently loading less. {@code meta.content_length} is
 * required by Redshift for Parquet and ORC and harmless otherwise.
 *
 * <p>Entries are sorted by url, so the same files always give byte-identical manifests: a manifest
 * rewritten under the same {@link LoadId} after a failure is the same object.
 */
public final class Manifest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One file of a manifest.
     *
     * @param url the file, as the warehouse reads it
     * @param mandatory whether a missing file fails the load
     * @param contentLength the file's size in bytes
     */
    public record Entry(String url, boolean mandatory, long contentLength) {
        public Entry {
            Objects.requireNonNull(url, "url");
            if (contentLength < 0) {
                throw new IllegalArgumentException(
                        "content_length must not be negative, got "
                                + contentLength
                                + " for "
                                + url);
            }
        }
    }

    private final List<Entry> entries;

    private Manifest(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** A manifest listing these files as mandatory, sorted by url. */
    public static Manifest of(List<StagedFile> files) {
        List<Entry> entries = new ArrayList<>(files.size());
        for (StagedFile file : files) {
            entries.add(new Entry(file.url(), true, file.sizeBytes()));
        }
        entries.sort(Comparator.comparing(Entry::url));
        return new Manifest(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The entries as staged files, e.g. for replaying a manifest. */
    public List<StagedFile> files() {
        List<StagedFile> files = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            files.add(new StagedFile(entry.url(), entry.contentLength()));
        }
        return files;
    }

    /** The manifest as compact JSON, keys in Redshift's documented order. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("entries");
        for (Entry entry : entries) {
            ObjectNode node = array.addObject();
            node.put("url", entry.url());
            node.put("mandatory", entry.mandatory());
            node.putObject("meta").put("content_length", entry.contentLength());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a manifest as JSON", e);
        }
    }

    /** {@link #toJson()} as UTF-8, as written to the manifest file. */
    public byte[] toJsonBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a manifest such as {@link #toJson()} writes. {@code mandatory} defaults to false as in
     * Redshift; {@code meta.content_length} is required because every Sluice manifest has it.
     *
     * @throws IllegalArgumentException if the text is not such a manifest
     */
    public static Manifest parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "Not a manifest: invalid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject() || !root.path("entries").isArray()) {
            throw new IllegalArgumentException("Not a manifest: no \"entries\" array");
        }
        List<Entry> entries = new ArrayList<>();
        int index = 0;
        for (JsonNode node : root.get("entries")) {
            String where = "manifest entry #" + index++;
            JsonNode url = node.get("url");
            if (url == null || !url.isTextual() || url.asText().isBlank()) {
                throw new IllegalArgumentException(where + " has no \"url\" string");
            }
            JsonNode mandatory = node.path("mandatory");
            if (!mandatory.isMissingNode() && !mandatory.isBoolean()) {
                throw new IllegalArgumentException(where + ": \"mandatory\" must be a boolean");
            }
            JsonNode length = node.path("meta").path("content_length");
            if (!length.canConvertToLong() || !length.isIntegralNumber()) {
                throw new IllegalArgumentException(
                        where + " has no integer \"meta\".\"content_length\"");
            }
            entries.add(new Entry(url.asText(), mandatory.asBoolean(false), length.asLong()));
        }
        return new Manifest(entries);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Manifest && ((Manifest) o).entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "Manifest{" + entries.size() + " entries}";
    }
}
