package dev.sluice.job.config;

import dev.sluice.operators.transform.ExceptionPolicy;
import dev.sluice.operators.transform.builtin.AddMetadataTransform;
import dev.sluice.operators.transform.builtin.FieldFilterTransform;
import dev.sluice.operators.transform.builtin.MaskFieldsTransform;
import dev.sluice.operators.transform.builtin.MaxSizeTransform;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/**
 * Property group {@value #GROUP}: the transform stage, the role of Firehose's Lambda processor.
 *
 * <p>{@code chain} lists the steps in order; {@code user} in it marks where the user's {@code
 * class} runs (appended when {@code class} is set and {@code user} is not listed). Each built-in
 * reads its own keys below; a key for a step that is not in the chain is rejected, because it
 * would silently do nothing.
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
                                    + " with a public no-argument constructor, in the job jar or"
                                    + " a user jar.");

    public static final ConfigOption<String> CHAIN =
            ConfigOptions.key("chain")
                    .stringType()
                    .defaultValue("max-size,json")
                    .withDescription(
                            "Comma-separated steps, run in order: max-size, json, filter, project,"
                                    + " rename, mask, hash, metadata, user. Empty: every record"
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
                    .withDescription("max-size: largest payload delivered, 1–1048576 bytes.");

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
                    METADATA_FIELDS);

    private TransformOptions() {}
}
