package dev.sluice.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One MSF property group (group id → key/value pairs) read through typed Flink {@link
 * ConfigOption}s.
 *
 * <p>Unknown keys are rejected rather than ignored: a misspelt key that silently falls back to a
 * default is how a job ends up COPYing into the wrong table at 3 a.m. Messages name the group and
 * key exactly as the user wrote them, and never echo a value (it may be a secret).
 */
public final class PropertyGroup {

    private final String groupId;
    private final Configuration values;

    private PropertyGroup(String groupId, Configuration values) {
        this.groupId = groupId;
        this.values = values;
    }

    /**
     * @param declared every option the group may contain
     * @param passThroughPrefixes key prefixes handed on unread (e.g. the Kinesis connector's own
     *     {@code aws.} and {@code flink.} keys, validated by the connector itself)
     */
    public static PropertyGroup of(
            String groupId,
            Map<String, Properties> groups,
            List<ConfigOption<?>> declared,
            List<String> passThroughPrefixes) {
        Properties properties = groups.getOrDefault(groupId, new Properties());
        Set<String> known = declared.stream().map(ConfigOption::key).collect(Collectors.toSet());
        Set<String> unknown = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            boolean passThrough = passThroughPrefixes.stream().anyMatch(key::startsWith);
            if (!known.contains(key) && !passThrough) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidConfigurationException(
                    String.format(
                            "Property group '%s' has unknown key(s) %s; known keys are %s",
                            groupId, unknown, new TreeSet<>(known)));
        }
        Configuration values = new Configuration();
        properties
                .stringPropertyNames()
                .forEach(k -> values.setString(k, properties.getProperty(k)));
        return new PropertyGroup(groupId, values);
    }

    public String groupId() {
        return groupId;
    }

    /** The value or the option's default; a value of the wrong type is a clear error. */
    public <T> T get(ConfigOption<T> option) {
        try {
            return values.get(option);
        } catch (IllegalArgumentException e) {
            // Typed options (numbers, durations, enums) carry no secrets, so the parser's
            // message, which quotes the value, is safe and the most helpful thing to show.
            throw new InvalidConfigurationException(
                    String.format(
                            "Property group '%s' key '%s' is invalid: %s",
                            groupId, option.key(), e.getMessage()),
                    e);
        }
    }

    /** The value, which must be present and non-blank. */
    public <T> T require(ConfigOption<T> option) {
        if (!values.containsKey(option.key())
                || values.getString(option.key(), "").trim().isEmpty()) {
            throw new InvalidConfigurationException(
                    String.format(
                            "Property group '%s' is missing required key '%s': %s",
                            groupId,
                            option.key(),
                            OptionDescriptions.plainText(option.description())));
        }
        return get(option);
    }

    public boolean contains(ConfigOption<?> option) {
        return values.containsKey(option.key());
    }

    /** Keys starting with {@code prefix}, unread, for libraries that validate their own. */
    public Properties withPrefix(String prefix) {
        Properties out = new Properties();
        values.toMap()
                .forEach(
                        (k, v) -> {
                            if (k.startsWith(prefix)) {
                                out.setProperty(k, v);
                            }
                        });
        return out;
    }

    /** A range check with a message naming the key and the allowed range. */
    public long requireInRange(ConfigOption<Long> option, long min, long max) {
        long value = get(option);
        if (value < min || value > max) {
            throw new InvalidConfigurationException(
                    String.format(
                            "Property group '%s' key '%s' must be between %d and %d, got %d",
                            groupId, option.key(), min, max, value));
        }
        return value;
    }
}
