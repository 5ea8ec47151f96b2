package dev.sluice.job.config;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.time.EventTimeExtractor;
import dev.sluice.operators.transform.ChainedTransform;
import dev.sluice.operators.transform.KeyedStep;
import dev.sluice.operators.transform.SluiceTransform;
import dev.sluice.operators.transform.TransformLoader;
import dev.sluice.operators.transform.builtin.AddMetadataTransform;
import dev.sluice.operators.transform.builtin.DedupTransform;
import dev.sluice.operators.transform.builtin.FieldFilterTransform;
import dev.sluice.operators.transform.builtin.FieldMapping;
import dev.sluice.operators.transform.builtin.HashFieldsTransform;
import dev.sluice.operators.transform.builtin.JsonValidationTransform;
import dev.sluice.operators.transform.builtin.MaskFieldsTransform;
import dev.sluice.operators.transform.builtin.MaxSizeTransform;
import dev.sluice.operators.transform.builtin.ProjectFieldsTransform;
import dev.sluice.operators.transform.builtin.RenameFieldsTransform;
import dev.sluice.operators.transform.keyed.MissingKeyPolicy;
import dev.sluice.operators.transform.keyed.StageKey;

import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.ConfigOption;

import java.time.Duration;
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
                    "max-size",
                    List.of(MAX_RECORD_BYTES),
                    "filter",
                    List.of(FILTER_FIELD, FILTER_OPERATOR, FILTER_VALUE),
                    "project",
                    List.of(PROJECT_FIELDS),
                    "rename",
                    List.of(RENAME_FIELDS),
                    "mask",
                    List.of(MASK_FIELDS, MASK_REPLACEMENT),
                    "hash",
                    List.of(HASH_FIELDS, HASH_SALT, HASH_SALT_ENV),
                    "metadata",
                    List.of(METADATA_FIELDS),
                    DedupTransform.NAME,
                    List.of(DEDUP_KEY_FIELD, DEDUP_TTL, DEDUP_MISSING_KEY),
                    USER_STEP,
                    List.of(CLASS, KEY_FIELD, KEY_SELECTOR));

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
                new ChainedTransform(transforms),
                group.get(ON_EXCEPTION),
                steps,
                stageKey(group, steps, transforms, classLoader));
    }

    /**
     * The key of a keyed stage ({@code dedup}, or a keyed user class with {@code key.field} or
     * {@code key.selector}); null for a stage that needs none, which then gets no {@code keyBy}.
     */
    private static StageKey stageKey(
            PropertyGroup group,
            List<String> steps,
            List<SluiceTransform> transforms,
            ClassLoader classLoader) {
        boolean dedup = steps.contains(DedupTransform.NAME);
        boolean keyedUser =
                !transforms.isEmpty()
                        && transforms.get(transforms.size() - 1) instanceof KeyedStep
                        && steps.get(steps.size() - 1).equals(USER_STEP);
        boolean userKey = group.contains(KEY_FIELD) || group.contains(KEY_SELECTOR);
        for (int i = 0; i < transforms.size() - 1; i++) {
            if (steps.get(i).equals(USER_STEP) && transforms.get(i) instanceof KeyedStep) {
                throw invalid(
                        group, "'class' is a keyed transform and must be the last step of 'chain'");
            }
        }
        if (userKey && !keyedUser) {
            throw invalid(
                    group,
                    "'key.field' and 'key.selector' key a KeyedSluiceTransform; 'class' is not one");
        }
        if (keyedUser) {
            if (group.contains(KEY_FIELD) == group.contains(KEY_SELECTOR)) {
                throw invalid(
                        group,
                        "a keyed 'class' needs exactly one of 'key.field' and 'key.selector'");
            }
            if (group.contains(KEY_FIELD)) {
                return StageKey.field(group.require(KEY_FIELD), MissingKeyPolicy.PROCESSING_FAILED);
            }
            @SuppressWarnings("unchecked")
            KeySelector<SluiceRecord, String> selector =
                    TransformLoader.instantiate(
                            group.require(KEY_SELECTOR), KeySelector.class, classLoader);
            return StageKey.selector(selector, MissingKeyPolicy.PROCESSING_FAILED);
        }
        if (dedup) {
            if (!group.contains(DEDUP_KEY_FIELD)) {
                return StageKey.partitionKeyAndPayloadHash();
            }
            return StageKey.field(group.require(DEDUP_KEY_FIELD), group.get(DEDUP_MISSING_KEY));
        }
        return null;
    }

    private static InvalidConfigurationException invalid(PropertyGroup group, String message) {
        return new InvalidConfigurationException(
                String.format("Property group '%s': %s", group.groupId(), message));
    }

    /**
     * The {@code dedup} step. Alone it keys the stage; with a keyed user class the stage has the
     * user's key (one {@code keyBy}) and {@code dedup} remembers its own key within it, unless its
     * key is the same field.
     */
    private static DedupTransform dedup(PropertyGroup group) {
        Duration ttl = group.get(DEDUP_TTL);
        if (ttl.compareTo(DedupTransform.MIN_TTL) < 0
                || ttl.compareTo(DedupTransform.MAX_TTL) > 0) {
            throw invalid(group, "key 'dedup.ttl' must be between 1 min and 7 d, got " + ttl);
        }
        boolean ownField = group.contains(DEDUP_KEY_FIELD);
        if (!ownField && group.contains(DEDUP_MISSING_KEY)) {
            throw invalid(
                    group,
                    "'dedup.missing.key' needs 'dedup.key.field': the default key (partition"
                            + " key + payload hash) is never missing");
        }
        boolean underUserKey = group.contains(KEY_FIELD) || group.contains(KEY_SELECTOR);
        if (!underUserKey) {
            return new DedupTransform(ttl);
        }
        if (!ownField) {
            return DedupTransform.withinStageKey(
                    ttl, StageKey.payloadHash(), MissingKeyPolicy.PROCESSING_FAILED);
        }
        String field = group.require(DEDUP_KEY_FIELD).trim();
        if (group.contains(KEY_FIELD) && field.equals(group.require(KEY_FIELD).trim())) {
            if (group.contains(DEDUP_MISSING_KEY)) {
                throw invalid(
                        group,
                        "'dedup.missing.key' does not apply when 'dedup.key.field' is 'key.field':"
                                + " a record without it has no stage key and fails as Key.Missing");
            }
            return new DedupTransform(ttl);
        }
        return DedupTransform.withinStageKey(
                ttl, StageKey.fieldPath(field), group.get(DEDUP_MISSING_KEY));
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
                                        + " mask, hash, metadata, dedup, user",
                                group.groupId(), token.trim()));
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

    private static SluiceTransform build(
            String step, PropertyGroup group, ClassLoader classLoader) {
        switch (step) {
            case MaxSizeTransform.NAME:
                return new MaxSizeTransform(
                        (int)
                                group.requireInRange(
                                        MAX_RECORD_BYTES, 1, MaxSizeTransform.LARGEST_MAX_BYTES));
            case JsonValidationTransform.NAME:
                return new JsonValidationTransform();
            case FieldFilterTransform.NAME:
                return new FieldFilterTransform(
                        group.require(FILTER_FIELD),
                        group.get(FILTER_OPERATOR),
                        group.get(FILTER_VALUE));
            case ProjectFieldsTransform.NAME:
                return new ProjectFieldsTransform(
                        FieldMapping.parseList(group.require(PROJECT_FIELDS)));
            case RenameFieldsTransform.NAME:
                return new RenameFieldsTransform(
                        FieldMapping.parseList(group.require(RENAME_FIELDS)));
            case MaskFieldsTransform.NAME:
                return new MaskFieldsTransform(
                        FieldMapping.parseNames(group.require(MASK_FIELDS)),
                        group.get(MASK_REPLACEMENT));
            case HashFieldsTransform.NAME:
                return hash(group);
            case AddMetadataTransform.NAME:
                return AddMetadataTransform.parse(group.get(METADATA_FIELDS));
            case DedupTransform.NAME:
                return new KeyedStep(dedup(group));
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
                            + " between 100 and 86400000, got "
                            + idle);
        }
        return new EventTimeSettings(
                extractor, outOfOrderness, idle, group.get(EventTimeOptions.LATE_RECORDS));
    }
}
