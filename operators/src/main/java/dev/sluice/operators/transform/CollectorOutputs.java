package dev.sluice.operators.transform;

import dev.sluice.operators.record.SluiceRecord;

import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The stage's outputs over Flink's collector and side output of the current call, rebound for each
 * record and timer.
 *
 * <p>{@code ProcessFunction.Context} and {@code KeyedProcessFunction.Context} share no type, though
 * both have {@code output(tag, value)}; so the side output comes in as a callback ({@code
 * ctx::output}) and one class serves both functions.
 */
final class CollectorOutputs implements TransformStage.Outputs {

    /** Where a failed record goes: the current call's {@code Context.output}. */
    @FunctionalInterface
    interface SideOutput {
        void output(OutputTag<FailedRecord> tag, FailedRecord failed);
    }

    private Collector<SluiceRecord> out;
    private SideOutput sideOutput;

    CollectorOutputs to(Collector<SluiceRecord> out, SideOutput sideOutput) {
        this.out = out;
        this.sideOutput = sideOutput;
        return this;
    }

    @Override
    public void ok(SluiceRecord delivered) {
        out.collect(delivered);
    }

    @Override
    public void side(OutputTag<FailedRecord> tag, FailedRecord failed) {
        sideOutput.output(tag, failed);
    }
}
