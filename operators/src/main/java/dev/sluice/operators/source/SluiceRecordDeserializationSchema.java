package dev.sluice.operators.source;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.time.EventTimeExtractor;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;

/**
 * Turns a Kinesis record into a {@link SluiceRecord} without judging the payload.
 *
 * <p>Parsing is deliberately left to the transform stage: a payload that is not JSON, not UTF-8 or
 * too large must become an error record there, never a source failure that would stall the shard (a
 * deserialization schema that throws fails the whole job). The one thing read here is the event
 * time, because the per-shard watermark assigner needs it before the record leaves the source; an
 * unreadable event time falls back to the arrival time.
 */
public class SluiceRecordDeserializationSchema
        implements KinesisDeserializationSchema<SluiceRecord> {

    private static final long serialVersionUID = 1L;

    private final EventTimeExtractor eventTime;

    /** Event time = approximate arrival time. */
    public SluiceRecordDeserializationSchema() {
        this(null);
    }

    /**
     * @param eventTime reads event time from the payload; null for arrival time
     */
    public SluiceRecordDeserializationSchema(EventTimeExtractor eventTime) {
        this.eventTime = eventTime;
    }

    @Override
    public SluiceRecord deserialize(
            byte[] recordValue,
            String partitionKey,
            String seqNum,
            long approxArrivalTimestamp,
            String stream,
            String shardId) {
        SluiceRecord record =
                new SluiceRecord(
                        recordValue, stream, shardId, partitionKey, seqNum, approxArrivalTimestamp);
        if (eventTime != null) {
            long timestamp = eventTime.extract(recordValue);
            if (timestamp != EventTimeExtractor.NONE) {
                record.setEventTimestamp(timestamp);
                record.setEventTimeFromPayload(true);
            }
        }
        return record;
    }

    @Override
    public TypeInformation<SluiceRecord> getProducedType() {
        return SluiceRecord.TYPE_INFO;
    }
}
