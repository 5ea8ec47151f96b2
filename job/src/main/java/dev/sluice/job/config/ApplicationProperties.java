package dev.sluice.job.config;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.api.java.utils.ParameterTool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Finds the job's property groups: from the file named by {@code --config} when given (local runs,
 * Kubernetes), otherwise from the runtime properties Amazon Managed Service for Apache Flink
 * provides. Both have the same JSON shape: {@code [{"PropertyGroupId": …, "PropertyMap": {…}}]}.
 */
public final class ApplicationProperties {

    public static final String CONFIG_ARG = "config";

    private static final JsonFactory JSON = new JsonFactory();

    private ApplicationProperties() {}

    public static Map<String, Properties> load(String[] args) throws IOException {
        ParameterTool parameters = ParameterTool.fromArgs(args);
        if (parameters.has(CONFIG_ARG)) {
            return fromFile(Path.of(parameters.get(CONFIG_ARG)));
        }
        return KinesisAnalyticsRuntime.getApplicationProperties();
    }

    public static Map<String, Properties> fromFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigurationException(
                    "Configuration file " + file.toAbsolutePath() + " does not exist");
        }
        checkJson(file);
        return KinesisAnalyticsRuntime.getApplicationProperties(file.toString());
    }

    /**
     * Fails with the file, line and column of the first JSON syntax error, before the runtime
     * library reads the file and would fail with a bare parser exception. The parser's own message
     * is left out: it can quote the offending token, which may be a secret.
     */
    private static void checkJson(Path file) throws IOException {
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            while (parser.nextToken() != null) {
                // Reading every token is the check.
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidConfigurationException(
                    "Configuration file "
                            + file.toAbsolutePath()
                            + " is not valid JSON"
                            + (at == null
                                    ? ""
                                    : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                            + "; expected [{\"PropertyGroupId\": …, \"PropertyMap\": {…}}, …]");
        }
    }

    /**
     * Writes property groups in the same shape {@link #fromFile} reads, keys sorted, so that a
     * generated configuration (a local run's, a test's) can be reused with {@code --config}.
     */
    public static void write(Map<String, Properties> groups, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode root = mapper.createArrayNode();
        groups.forEach(
                (id, properties) -> {
                    ObjectNode group = root.addObject();
                    group.put("PropertyGroupId", id);
                    ObjectNode map = group.putObject("PropertyMap");
                    new TreeMap<>(properties).forEach((k, v) -> map.put((String) k, (String) v));
                });
        mapper.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }
}
