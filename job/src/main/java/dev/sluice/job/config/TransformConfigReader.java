package dev.sluice.job.config;

import dev.sluice.operators.time.EventTimeExtractor;
import dev.sluice.operators.transform.ChainedTransform;
import dev.sluice.operators.transform.SluiceTransform;
import dev.sluice.operators.transform.TransformLoader;
import dev.sluice.operators.transform.builtin.AddMetadataTransform;
import dev.sluice.operators.transform.builtin.FieldFilterTransform;
import dev.sluice.operators.transform.builtin.FieldMapping;
import dev.sluice.operators.transform.builtin.HashFieldsTransform;
import dev.sluice.operators.transform.builtin.JsonValidationTransform;
import dev.sluice.operators.transform.builtin.MaskFieldsTransform;
import dev.sluice.operators.transform.builtin.MaxSizeTransform;
import dev.sluice.operators.transform.builtin.ProjectFieldsTransform;
import dev.sluice.operators.transform.builtin.RenameFieldsTransform;

import org.apache.flink.configuration.ConfigOption;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.sluice.job.config.TransformOptions.*;

/**
 * Turns property groups {@value TransformOptions#GROUP} and {@value EventTimeOptions#GROUP} into
 * the transform chain and the event-time settings, instantiating the user's class now so that a
 * wrong class name fails the deployment, not the first record.
 */
final class TransformConfigReader {

    /** Which keys belong to which step: setting a key whose step is not chained is an error. */
    private static final Map<String, List<ConfigOption<?>>> STEP_KEYS =
            Map.of(
                    "max-size", List.of(MAX_RECORD_BYTES),
                    "filter", List.of(FILTER_FIELD, FILTER_OPERATOR, FILTER_VALUE),
                    "project", List.of(PROJECT_FIELDS),
                    "rename", List.of(RENAME_FIELDS),
                    "mask", List.of(MASK_FIELDS, MASK_REPLACEMENT),
                    "hash", List.of(HASH_FIELDS, HASH_SALT, HASH_SALT_ENV),
                    "metadata", List.of(METADATA_FIELDS),
                    USER_STEP, List.of(CLASS));

    private TransformConfigReader() {}

    static TransformSettings readTransform(PropertyGroup group, ClassLoader classLoader) {
        List<String> steps = chain(group);
        STEP_KEYS.forEach(
                (step, keys) -> {
                    for (ConfigOption<?> key : keys) {
                        if (group.contains(key) && !steps.contains(step)) {
                            throw new InvalidConfigurationException(
                                    String.format(
                                            "Property group '%s' sets '%s' but the chain %s has no"
                                                    + " '%s' step",
                                            group.groupId(), key.key(), steps, step));
                        }
                    }
                });
        List<SluiceTransform> transforms = new ArrayList<>();
        for (String step : steps) {
            try {
                transforms.add(build(step, group, classLoader));
            } catch (InvalidConfigurationException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(
                        String.format(
                                "Property group '%s' step '%s': %s",
                                group.groupId(), step, e.getMessage()),
                        e);
            }
        }
        return new TransformSettings(
                new ChainedTransform(transforms), group.get(ON_EXCEPTION), steps);
    }

    private static List<String> chain(PropertyGroup group) {
        Set<String> steps = new LinkedHashSet<>();
        for (String token : group.get(CHAIN).split(",")) {
            String step = token.trim().toLowerCase(java.util.Locale.ROOT);
            if (step.isEmpty()) {
                continue;
            }
            if (!STEP_KEYS.containsKey(step) && !step.equals(JsonValidationTransform.NAME)) {
                throw new InvalidConfigurationException(
                        String.format(
                                "Property group '%s' key 'chain' has unknown step '%s'; known"
                                        + " steps are max-size, json, filter, project, rename,"
                                        + " mask, hash, metadata, user",
                                group.groupId(),
                                token.trim()));
            }
            if (!steps.add(step)) {
                throw new InvalidConfigurationException(
                        String.format(
                                "Property group '%s' key 'chain' lists '%s' twice",
                                group.groupId(), step));
            }
        }
        if (group.contains(CLASS)) {
            steps.add(USER_STEP);
        } else if (steps.contains(USER_STEP)) {
            throw new InvalidConfigurationException(
                    String.format(
                            "Property group '%s' key 'chain' has a 'user' step but no 'class'",
                            group.groupId()));
        }
        return List.copyOf(steps);
    }

    private static SluiceTransform build(String step, PropertyGroup group, ClassLoader classLoader) {
        switch (step) {
            case MaxSizeTransform.NAME:
                return new MaxSizeTransform(
                        (int) group.requireInRange(MAX_RECORD_BYTES, 1, MaxSizeTransform.DEFAULT_MAX_BYTES));
            case JsonValidationTransform.NAME:
                return new JsonValidationTransform();
            case FieldFilterTransform.NAME:
                return new FieldFilterTransform(
                        group.require(FILTER_FIELD),
                        group.get(FILTER_OPERATOR),
                        group.get(FILTER_VALUE));
            case ProjectFieldsTransform.NAME:
                return new ProjectFieldsTransform(FieldMapping.parseList(group.require(PROJECT_FIELDS)));
            case RenameFieldsTransform.NAME:
                return new RenameFieldsTransform(FieldMapping.parseList(group.require(RENAME_FIELDS)));
            case MaskFieldsTransform.NAME:
                return new MaskFieldsTransform(
                        FieldMapping.parseNames(group.require(MASK_FIELDS)),
                        group.get(MASK_REPLACEMENT));
            case HashFieldsTransform.NAME:
                return hash(group);
            case AddMetadataTransform.NAME:
                return AddMetadataTransform.parse(group.get(METADATA_FIELDS));
            case USER_STEP:
                return TransformLoader.instantiate(group.require(CLASS), classLoader);
            default:
                throw new IllegalStateException("unhandled step " + step);
        }
    }

    private static SluiceTransform hash(PropertyGroup group) {
        List<String> fields = FieldMapping.parseNames(group.require(HASH_FIELDS));
        boolean inline = group.contains(HASH_SALT);
        boolean fromEnv = group.contains(HASH_SALT_ENV);
        if (inline == fromEnv) {
            throw new InvalidConfigurationException(
                    String.format(
                            "Property group '%s' step 'hash' needs exactly one of 'hash.salt.env'"
                                    + " and 'hash.salt'",
                            group.groupId()));
        }
        return inline
                ? new HashFieldsTransform(fields, group.require(HASH_SALT))
                : HashFieldsTransform.saltFromEnvironment(fields, group.require(HASH_SALT_ENV));
    }

    static EventTimeSettings readEventTime(PropertyGroup group) {
        EventTimeExtractor extractor =
                group.contains(EventTimeOptions.FIELD)
                        ? new EventTimeExtractor(
                                group.require(EventTimeOptions.FIELD),
                                group.get(EventTimeOptions.FORMAT))
                        : null;
        long outOfOrderness =
                group.requireInRange(EventTimeOptions.MAX_OUT_OF_ORDERNESS_MS, 0, 86_400_000L);
        long idle = group.requireInRange(EventTimeOptions.IDLE_SHARD_TIMEOUT_MS, 0, 86_400_000L);
        if (idle > 0 && idle < 100) {
            throw new InvalidConfigurationException(
                    "Property group 'EventTime' key 'idle.shard.timeout.ms' must be 0 (off) or"
                            + " between 100 and 86400000, got " + idle);
        }
        return new EventTimeSettings(
                extractor, outOfOrderness, idle, group.get(EventTimeOptions.LATE_RECORDS));
    }
}
