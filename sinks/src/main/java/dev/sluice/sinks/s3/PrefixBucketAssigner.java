package dev.sluice.sinks.s3;

import dev.sluice.sinks.s3.prefix.PrefixTemplate;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * Puts each record under its {@link PrefixTemplate} rendered at the time the record reached the
 * sink (UTC processing time), the analogue of Firehose's arrival-time prefixes.
 */
public final class PrefixBucketAssigner<IN> implements BucketAssigner<IN, String> {

    private static final long serialVersionUID = 1L;

    private final PrefixTemplate template;

    public PrefixBucketAssigner(PrefixTemplate template) {
        this.template = template;
    }

    @Override
    public String getBucketId(IN element, Context context) {
        return template.renderBucket(context.currentProcessingTime());
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "PrefixBucketAssigner{" + template + '}';
    }
}
