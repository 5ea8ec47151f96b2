package dev.sluice.job.config;

import dev.sluice.operators.transform.ExceptionPolicy;
import dev.sluice.operators.transform.builtin.AddMetadataTransform;
import dev.sluice.operators.transform.builtin.DedupTransform;
import dev.sluice.operators.transform.builtin.FieldFilterTransform;
import dev.sluice.operators.transform.builtin.MaskFieldsTransform;
import dev.sluice.operators.transform.builtin.MaxSizeTransform;
import dev.sluice.operators.transform.keyed.MissingKeyPolicy;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;
import java.util.List;

/**
 * Property group {@value #GROUP}: the transform stage, the role of Firehose's Lambda processor.
 *
 * <p>{@code chain} lists the steps in order; {@code user} in it marks where the user's {@code
 * class} runs (appended when {@code class} is set and {@code user} is not listed). Each built-in
 * reads its own keys below; a key for a step that is not in the chain is rejected, because it would
 * silently do nothing.
 */
public final class TransformOptions {

    public static final String GROUP = "Transform";

    /** The chain token that stands for the user's class. */
    public static final String USER_STEP = "user";

    public static final ConfigOption<String> CLASS =
            ConfigOptions.key("class")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Fully qualified name of the user's transform, a public class"
                                    + " implementing dev.sluice.operators.transform.SluiceTransform"
                                    + " (or, keyed, dev.sluice.operators.transform.keyed"
                                    + ".KeyedSluiceTransform, which also needs key.field or"
                                    + " key.selector) with a public no-argument constructor, in the"
                                    + " job jar or a user jar.");

    public static final ConfigOption<String> KEY_FIELD =
            ConfigOptions.key("key.field")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "user (keyed): payload field path (e.g. user_id, order.id) whose value"
                                    + " keys the stage; a record without it goes to"
                                    + " errors/processing-failed/ (code Key.Missing). Adds a keyBy"
                                    + " (a network shuffle) before the stage.");

    public static final ConfigOption<String> KEY_SELECTOR =
            ConfigOptions.key("key.selector")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "user (keyed): class implementing org.apache.flink.api.java.functions"
                                    + ".KeySelector<SluiceRecord, String> with a public no-argument"
                                    + " constructor, instead of key.field; a null key goes to"
                                    + " errors/processing-failed/ (code Key.Missing).");

    public static final ConfigOption<String> CHAIN =
            ConfigOptions.key("chain")
                    .stringType()
                    .defaultValue("max-size,json")
                    .withDescription(
                            "Comma-separated steps, run in order: max-size, json, filter, project,"
                                    + " rename, mask, hash, metadata, dedup, user. Empty: every record"
                                    + " is delivered as read (the warehouse load then fails on"
                                    + " non-JSON records).");

    public static final ConfigOption<ExceptionPolicy> ON_EXCEPTION =
            ConfigOptions.key("on.exception")
                    .enumType(ExceptionPolicy.class)
                    .defaultValue(ExceptionPolicy.PROCESSING_FAILED)
                    .withDescription(
                            "PROCESSING_FAILED: an exception in a transform sends that record to"
                                    + " errors/processing-failed/. FAIL_JOB: it fails the task and"
                                    + " Flink restarts from the last checkpoint.");

    public static final ConfigOption<Long> MAX_RECORD_BYTES =
            ConfigOptions.key("max.record.bytes")
                    .longType()
                    .defaultValue((long) MaxSizeTransform.DEFAULT_MAX_BYTES)
                    .withDescription(
                            "max-size: largest payload delivered, 1–10485760 bytes (10 MiB, the"
                                    + " largest maximum record size a Kinesis stream can have;"
                                    + " above 1 MiB only for streams raised with"
                                    + " UpdateMaxRecordSize).");

    public static final ConfigOption<String> FILTER_FIELD =
            ConfigOptions.key("filter.field")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("filter: top-level field the predicate tests (required).");

    public static final ConfigOption<FieldFilterTransform.Operator> FILTER_OPERATOR =
            ConfigOptions.key("filter.operator")
                    .enumType(FieldFilterTransform.Operator.class)
                    .defaultValue(FieldFilterTransform.Operator.EQUALS)
                    .withDescription(
                            "filter: EQUALS, NOT_EQUALS, EXISTS or NOT_EXISTS. Records for which"
                                    + " the predicate is false are Dropped.");

    public static final ConfigOption<String> FILTER_VALUE =
            ConfigOptions.key("filter.value")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "filter: the value compared with, as text (required for EQUALS and"
                                    + " NOT_EQUALS).");

    public static final ConfigOption<String> PROJECT_FIELDS =
            ConfigOptions.key("project.fields")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "project: fields to keep, 'name' or 'name:newName', comma-separated"
                                    + " (required).");

    public static final ConfigOption<String> RENAME_FIELDS =
            ConfigOptions.key("rename.fields")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("rename: 'name:newName' pairs, comma-separated (required).");

    public static final ConfigOption<String> MASK_FIELDS =
            ConfigOptions.key("mask.fields")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("mask: fields whose values are replaced (required).");

    public static final ConfigOption<String> MASK_REPLACEMENT =
            ConfigOptions.key("mask.replacement")
                    .stringType()
                    .defaultValue(MaskFieldsTransform.DEFAULT_MASK)
                    .withDescription("mask: the replacement value.");

    public static final ConfigOption<String> HASH_FIELDS =
            ConfigOptions.key("hash.fields")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "hash: fields replaced by hex SHA-256 of salt + value (required).");

    public static final ConfigOption<String> HASH_SALT_ENV =
            ConfigOptions.key("hash.salt.env")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "hash: environment variable holding the salt, read on the task"
                                    + " managers (never in the job graph). One of hash.salt.env"
                                    + " and hash.salt is required.");

    public static final ConfigOption<String> HASH_SALT =
            ConfigOptions.key("hash.salt")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("hash: the salt itself; prefer hash.salt.env. Never logged.");

    public static final ConfigOption<String> METADATA_FIELDS =
            ConfigOptions.key("metadata.fields")
                    .stringType()
                    .defaultValue(AddMetadataTransform.DEFAULT_FIELDS)
                    .withDescription(
                            "metadata: 'source:field' pairs; sources are stream, shardId,"
                                    + " partitionKey, sequenceNumber, approximateArrivalTimestamp,"
                                    + " eventTimestamp (times as ISO-8601 UTC).");

    public static final ConfigOption<String> DEDUP_KEY_FIELD =
            ConfigOptions.key("dedup.key.field")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "dedup: payload field path (e.g. event_id, order.id) whose value is the"
                                    + " de-duplication key, read from the record as it arrived."
                                    + " Unset: the Kinesis partition key plus the SHA-256 of the"
                                    + " payload, which is what a producer's PutRecords retry"
                                    + " repeats. With a keyed class (key.field or key.selector)"
                                    + " the stage keeps that one key and dedup remembers its own"
                                    + " key within it, as the record reaches the dedup step.");

    public static final ConfigOption<Duration> DEDUP_TTL =
            ConfigOptions.key("dedup.ttl")
                    .durationType()
                    .defaultValue(DedupTransform.DEFAULT_TTL)
                    .withDescription(
                            "dedup: how long a key is remembered, from its first record, in"
                                    + " processing time: 1 min to 7 d (e.g. '1 h', '7 d'). A"
                                    + " repeat within it is Dropped and counted as"
                                    + " DuplicateRecords. State grows with the keys seen per"
                                    + " window; see docs/transforms.md for bytes per key.");

    public static final ConfigOption<MissingKeyPolicy> DEDUP_MISSING_KEY =
            ConfigOptions.key("dedup.missing.key")
                    .enumType(MissingKeyPolicy.class)
                    .defaultValue(MissingKeyPolicy.PROCESSING_FAILED)
                    .withDescription(
                            "dedup: a record without dedup.key.field goes to"
                                    + " errors/processing-failed/ (PROCESSING_FAILED, code"
                                    + " Key.Missing) or through the chain unchecked (PASS).");

    public static final List<ConfigOption<?>> ALL =
            List.of(
                    CLASS,
                    CHAIN,
                    ON_EXCEPTION,
                    MAX_RECORD_BYTES,
                    FILTER_FIELD,
                    FILTER_OPERATOR,
                    FILTER_VALUE,
                    PROJECT_FIELDS,
                    RENAME_FIELDS,
                    MASK_FIELDS,
                    MASK_REPLACEMENT,
                    HASH_FIELDS,
                    HASH_SALT_ENV,
                    HASH_SALT,
                    METADATA_FIELDS,
                    DEDUP_KEY_FIELD,
                    DEDUP_TTL,
                    DEDUP_MISSING_KEY,
                    KEY_FIELD,
                    KEY_SELECTOR);

    private TransformOptions() {}
}
