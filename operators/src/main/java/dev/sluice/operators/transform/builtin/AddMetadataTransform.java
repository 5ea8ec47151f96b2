package dev.sluice.operators.transform.builtin;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.TransformResult;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Built-in {@code metadata}: adds Kinesis metadata (shard id, sequence number, arrival time, …) to
 * the payload as top-level fields, so they can land in warehouse columns, something Firehose cannot
 * do without a Lambda. Configured as {@code shardId:kinesis_shard_id, …}; an existing field of the
 * same name is overwritten.
 */
public final class AddMetadataTransform extends JsonObjectTransform {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "metadata";

    /** The default configuration: every coordinate under a {@code kinesis_} column name. */
    public static final String DEFAULT_FIELDS =
            "shardId:kinesis_shard_id,sequenceNumber:kinesis_sequence_number,"
                    + "partitionKey:kinesis_partition_key,"
                    + "approximateArrivalTimestamp:kinesis_arrival_time";

    private final Map<MetadataField, String> targets;

    public AddMetadataTransform(Map<MetadataField, String> targets) {
        this.targets = new LinkedHashMap<>(targets);
    }

    /** Parses {@code shardId:kinesis_shard_id, sequenceNumber} (no target: the same name). */
    public static AddMetadataTransform parse(String spec) {
        Map<MetadataField, String> targets = new LinkedHashMap<>();
        List<FieldMapping> mappings = FieldMapping.parseList(spec);
        for (FieldMapping m : mappings) {
            targets.put(MetadataField.fromConfigName(m.source()), m.target());
        }
        return new AddMetadataTransform(targets);
    }

    @Override
    TransformResult apply(ObjectNode object, SluiceRecord record) {
        targets.forEach((field, target) -> object.put(target, field.valueOf(record)));
        return rewritten(object);
    }

    @Override
    public String toString() {
        return NAME + targets;
    }
}
