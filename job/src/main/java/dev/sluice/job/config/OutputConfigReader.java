package dev.sluice.job.config;

import dev.sluice.sinks.firehose.FirehoseOutput;
import dev.sluice.sinks.s3.BufferingHints;
import dev.sluice.sinks.s3.format.Compression;
import dev.sluice.sinks.s3.format.FileFormat;
import dev.sluice.sinks.s3.prefix.PrefixTemplate;

import org.apache.flink.configuration.ConfigOption;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads S3 outputs from property groups: the staging output from group {@code S3}, further ones
 * from {@code Output.<name>} groups, each checked on its own and then against the others.
 */
final class OutputConfigReader {

    private static final String BUCKET_PATTERN = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]";

    private OutputConfigReader() {}

    /**
     * @param warehouseColumns the table's columns: a CSV staging output writes these unless it
     *     names its own, so the files match the COPY column list
     */
    static OutputSettings staging(PropertyGroup group, List<String> warehouseColumns) {
        String bucket = bucket(group, group.require(StagingOptions.BUCKET));
        PrefixTemplate prefix = prefix(group, group.get(StagingOptions.PREFIX));
        BufferingHints buffering =
                validated(
                        group,
                        () -> BufferingHints.of(group.get(StagingOptions.BUFFERING_SIZE_MB)));
        return new OutputSettings(
                OutputSettings.STAGING,
                bucket,
                prefix,
                format(group, warehouseColumns),
                buffering,
                maxOpenPartitions(group));
    }

    /**
     * Every {@code Output.<name>} group of type S3, sorted by name.
     *
     * @param staging supplies the default bucket
     */
    static List<OutputSettings> further(Map<String, Properties> groups, OutputSettings staging) {
        Map<String, OutputSettings> outputs = new TreeMap<>();
        for (Map.Entry<String, PropertyGroup> entry : outputGroups(groups).entrySet()) {
            String name = entry.getKey();
            PropertyGroup group = entry.getValue();
            if (group.get(OutputOptions.TYPE) != OutputType.S3) {
                continue;
            }
            rejectKeys(group, FirehoseOutputOptions.ALL, OutputType.S3);
            if (!group.withPrefix(FirehoseOutputOptions.CLIENT_PREFIX).isEmpty()) {
                throw new InvalidConfigurationException(
                        "Property group '"
                                + group.groupId()
                                + "': keys starting with '"
                                + FirehoseOutputOptions.CLIENT_PREFIX
                                + "' apply only to type FIREHOSE");
            }
            String bucket =
                    group.contains(OutputOptions.BUCKET)
                            ? bucket(group, group.get(OutputOptions.BUCKET))
                            : staging.bucket();
            PrefixTemplate prefix = prefix(group, group.require(OutputOptions.PREFIX));
            BufferingHints buffering =
                    validated(
                            group,
                            () -> BufferingHints.of(group.get(OutputOptions.BUFFERING_SIZE_MB)));
            outputs.put(
                    name,
                    new OutputSettings(
                            name,
                            bucket,
                            prefix,
                            format(group, List.of()),
                            buffering,
                            maxOpenPartitions(group)));
        }
        List<OutputSettings> all = new ArrayList<>(outputs.values());
        checkDistinctRoots(staging, all);
        return all;
    }

    /** Every {@code Output.<name>} group of type FIREHOSE, sorted by name. */
    static List<FirehoseOutputSettings> firehose(Map<String, Properties> groups) {
        List<FirehoseOutputSettings> outputs = new ArrayList<>();
        for (Map.Entry<String, PropertyGroup> entry : outputGroups(groups).entrySet()) {
            PropertyGroup group = entry.getValue();
            if (group.get(OutputOptions.TYPE) != OutputType.FIREHOSE) {
                continue;
            }
            List<ConfigOption<?>> s3Keys = new ArrayList<>(OutputOptions.ALL);
            s3Keys.remove(OutputOptions.TYPE);
            rejectKeys(group, s3Keys, OutputType.FIREHOSE);
            String stream = group.require(FirehoseOutputOptions.DELIVERY_STREAM_NAME);
            group.require(FirehoseOutputOptions.REGION);
            FirehoseOutput.Builder sink =
                    FirehoseOutput.builder(stream)
                            .clientProperties(group.withPrefix(FirehoseOutputOptions.CLIENT_PREFIX))
                            .maxBatchSize(group.get(FirehoseOutputOptions.MAX_BATCH_SIZE))
                            .maxBatchSizeBytes(
                                    group.get(FirehoseOutputOptions.MAX_BATCH_SIZE_BYTES))
                            .maxInFlightRequests(
                                    group.get(FirehoseOutputOptions.MAX_IN_FLIGHT_REQUESTS))
                            .maxBufferedRequests(
                                    group.get(FirehoseOutputOptions.MAX_BUFFERED_REQUESTS))
                            .maxTimeInBufferMs(
                                    group.get(FirehoseOutputOptions.MAX_TIME_IN_BUFFER_MS))
                            .failOnError(group.get(FirehoseOutputOptions.FAIL_ON_ERROR))
                            .appendNewline(group.get(FirehoseOutputOptions.APPEND_NEWLINE));
            // Checked here, where a wrong value names its group, not when the job graph is built.
            validated(group, sink::build);
            outputs.add(new FirehoseOutputSettings(entry.getKey(), stream, sink));
        }
        return outputs;
    }

    /** The {@code Output.<name>} groups by name, names checked, unknown keys rejected. */
    private static Map<String, PropertyGroup> outputGroups(Map<String, Properties> groups) {
        List<ConfigOption<?>> declared = new ArrayList<>(OutputOptions.ALL);
        declared.addAll(FirehoseOutputOptions.ALL);
        Map<String, PropertyGroup> outputs = new TreeMap<>();
        for (String groupId : groups.keySet()) {
            if (!groupId.startsWith(OutputOptions.GROUP_PREFIX)) {
                continue;
            }
            String name = groupId.substring(OutputOptions.GROUP_PREFIX.length());
            if (!name.matches(OutputOptions.NAME_PATTERN) || name.equals(OutputSettings.STAGING)) {
                throw new InvalidConfigurationException(
                        "Property group '"
                                + groupId
                                + "': an output name must match "
                                + OutputOptions.NAME_PATTERN
                                + " and not be '"
                                + OutputSettings.STAGING
                                + "'");
            }
            outputs.put(
                    name,
                    PropertyGroup.of(
                            groupId,
                            groups,
                            declared,
                            List.of(FirehoseOutputOptions.CLIENT_PREFIX)));
        }
        return outputs;
    }

    private static void rejectKeys(
            PropertyGroup group, List<ConfigOption<?>> options, OutputType type) {
        for (ConfigOption<?> option : options) {
            rejectKey(group, option, "type " + type);
        }
    }

    /**
     * Two outputs under one root would mix their error directories, and the staging root also holds
     * manifests and backups, so every output needs a root of its own.
     */
    private static void checkDistinctRoots(OutputSettings staging, List<OutputSettings> further) {
        List<OutputSettings> all = new ArrayList<>();
        all.add(staging);
        all.addAll(further);
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                OutputSettings a = all.get(i);
                OutputSettings b = all.get(j);
                if (a.rootUri().equals(b.rootUri())) {
                    throw new InvalidConfigurationException(
                            "Outputs '"
                                    + a.name()
                                    + "' and '"
                                    + b.name()
                                    + "' both write under "
                                    + a.rootUri()
                                    + "; give each output a prefix with a fixed directory of its"
                                    + " own (the part before the first !{…})");
                }
            }
        }
    }

    private static PrefixTemplate prefix(PropertyGroup group, String text) {
        return validated(
                group,
                () ->
                        PrefixTemplate.parse(text)
                                .withTimeSource(group.get(OutputOptions.PREFIX_TIME)));
    }

    private static int maxOpenPartitions(PropertyGroup group) {
        int max = group.get(OutputOptions.PARTITIONS_MAX_OPEN);
        if (max < 1) {
            throw new InvalidConfigurationException(
                    "Property group '"
                            + group.groupId()
                            + "' key '"
                            + OutputOptions.PARTITIONS_MAX_OPEN.key()
                            + "' must be at least 1, got "
                            + max);
        }
        return max;
    }

    private static FileFormat format(PropertyGroup group, List<String> defaultColumns) {
        FileFormat format = formatAndCompression(group, defaultColumns);
        if (!group.contains(OutputOptions.GZIP_LEVEL)) {
            return format;
        }
        int level = group.get(OutputOptions.GZIP_LEVEL);
        return validated(group, () -> format.withGzipLevel(level));
    }

    private static FileFormat formatAndCompression(
            PropertyGroup group, List<String> defaultColumns) {
        Compression compression =
                group.contains(OutputOptions.COMPRESSION)
                        ? group.get(OutputOptions.COMPRESSION)
                        : null;
        switch (group.get(OutputOptions.FORMAT)) {
            case CSV:
                rejectKey(group, OutputOptions.PARQUET_SCHEMA_FILE, "format CSV");
                List<String> columns =
                        group.contains(OutputOptions.CSV_COLUMNS)
                                ? columnList(group.get(OutputOptions.CSV_COLUMNS))
                                : defaultColumns;
                if (columns.isEmpty()) {
                    throw new InvalidConfigurationException(
                            "Property group '"
                                    + group.groupId()
                                    + "' has format CSV but no 'csv.columns'");
                }
                return validated(group, () -> FileFormat.csv(columns, compression));
            case PARQUET:
                rejectKey(group, OutputOptions.CSV_COLUMNS, "format PARQUET");
                String file = group.require(OutputOptions.PARQUET_SCHEMA_FILE);
                return validated(
                        group,
                        () ->
                                FileFormat.parquet(
                                        FileFormat.readAvroSchema(Path.of(file)), compression));
            default:
                rejectKey(group, OutputOptions.CSV_COLUMNS, "format JSON");
                rejectKey(group, OutputOptions.PARQUET_SCHEMA_FILE, "format JSON");
                return validated(group, () -> FileFormat.json(compression));
        }
    }

    /**
     * @param what what the key does not apply to, e.g. {@code "format JSON"}
     */
    private static void rejectKey(PropertyGroup group, ConfigOption<?> option, String what) {
        if (group.contains(option)) {
            throw new InvalidConfigurationException(
                    "Property group '"
                            + group.groupId()
                            + "' key '"
                            + option.key()
                            + "' does not apply to "
                            + what);
        }
    }

    /** A comma-separated column list, as Firehose's DataTableColumns and csv.columns are. */
    static List<String> columnList(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(c -> !c.isEmpty())
                .collect(Collectors.toList());
    }

    private static String bucket(PropertyGroup group, String bucket) {
        if (!bucket.matches(BUCKET_PATTERN)) {
            throw new InvalidConfigurationException(
                    "Property group '"
                            + group.groupId()
                            + "' key 'bucket' is not a valid S3 bucket name: "
                            + bucket);
        }
        return bucket;
    }

    static <T> T validated(PropertyGroup group, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (InvalidConfigurationException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(
                    "Property group '" + group.groupId() + "': " + e.getMessage(), e);
        }
    }
}
