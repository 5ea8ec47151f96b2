package dev.sluice.operators.source;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;

/**
 * Turns a Kinesis record into a {@link SluiceRecord} without looking at the payload.
 *
 * <p>Parsing is deliberately left to the transform stage: a payload that is not JSON, not UTF-8
 * or too large must become an error record there, never a source failure that would stall the
 * shard (a deserialization schema that throws fails the whole job).
 */
public class SluiceRecordDeserializationSchema implements KinesisDeserializationSchema<SluiceRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public SluiceRecord deserialize(
            byte[] recordValue,
            String partitionKey,
            String seqNum,
            long approxArrivalTimestamp,
            String stream,
            String shardId) {
        return new SluiceRecord(
                recordValue, stream, shardId, partitionKey, seqNum, approxArrivalTimestamp);
    }

    @Override
    public TypeInformation<SluiceRecord> getProducedType() {
        return TypeInformation.of(SluiceRecord.class);
    }
}
