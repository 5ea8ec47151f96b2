package dev.sluice.operators.source;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.time.EventTimeExtractor;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kinesis.source.serialization.KinesisDeserializationSchema;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.util.Collector;

import java.util.List;

/**
 * {@link SluiceRecordDeserializationSchema} for the FLIP-27 {@code KinesisStreamsSource}: the same
 * {@link SluiceRecord}s, field for field, as the legacy consumer produces.
 *
 * <p>Two things the 4.3.0 source does differently are evened out here:
 *
 * <ul>
 *   <li>It names the stream by its ARN; records carry the stream's name, as the legacy consumer's
 *       do, so the ledger and the warehouse see one stream whichever source read it.
 *   <li>It does not de-aggregate KPL records. This schema does ({@link KplAggregation}): every user
 *       record of an aggregated record becomes its own {@link SluiceRecord}, all with the
 *       aggregated record's sequence number. They are emitted within one call, before the source
 *       advances the shard's position past that sequence number, so a checkpoint holds all of them
 *       or none.
 * </ul>
 *
 * <p>The {@code Record} type is the connector's relocated AWS SDK v2 class, which is what the
 * connector's interface takes.
 */
public class SluiceKinesisStreamsDeserializationSchema
        implements KinesisDeserializationSchema<SluiceRecord> {

    private static final long serialVersionUID = 1L;

    private final SluiceRecordDeserializationSchema records;
    private final String streamName;

    /**
     * @param eventTime reads event time from the payload; null for arrival time
     * @param streamName the name records carry as their stream
     */
    public SluiceKinesisStreamsDeserializationSchema(
            EventTimeExtractor eventTime, String streamName) {
        this.records = new SluiceRecordDeserializationSchema(eventTime);
        this.streamName = streamName;
    }

    @Override
    public void deserialize(
            Record record, String streamArn, String shardId, Collector<SluiceRecord> output) {
        byte[] data = record.data().asByteArray();
        long arrival = record.approximateArrivalTimestamp().toEpochMilli();
        String sequenceNumber = record.sequenceNumber();
        List<KplAggregation.UserRecord> users = KplAggregation.deaggregate(data);
        if (users.isEmpty()) {
            output.collect(
                    records.deserialize(
                            data,
                            record.partitionKey(),
                            sequenceNumber,
                            arrival,
                            streamName,
                            shardId));
            return;
        }
        for (KplAggregation.UserRecord user : users) {
            output.collect(
                    records.deserialize(
                            user.data(),
                            user.partitionKey(),
                            sequenceNumber,
                            arrival,
                            streamName,
                            shardId));
        }
    }

    @Override
    public TypeInformation<SluiceRecord> getProducedType() {
        return SluiceRecord.TYPE_INFO;
    }
}
