package dev.sluice.job.config;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.TransformResult;
import dev.sluice.operators.transform.keyed.KeyedContext;
import dev.sluice.operators.transform.keyed.KeyedSluiceTransform;

import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

/** A keyed user transform for configuration tests: Ok for a key's first record, Dropped after. */
public class FirstPerKeyTransform implements KeyedSluiceTransform {

    private static final long serialVersionUID = 1L;

    @Override
    public TransformResult transform(SluiceRecord record, KeyedContext context) throws Exception {
        var seen = context.getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
        if (seen.value() != null) {
            return TransformResult.dropped();
        }
        seen.update(true);
        return TransformResult.ok();
    }
}
