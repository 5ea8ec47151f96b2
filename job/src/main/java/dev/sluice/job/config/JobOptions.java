package dev.sluice.job.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/** Property group {@value #GROUP}: settings of the Flink job itself. */
public final class JobOptions {

    public static final String GROUP = "Job";

    /** Staged files become visible, and are loaded, once per completed checkpoint. */
    public static final ConfigOption<Long> CHECKPOINT_INTERVAL_MS =
            ConfigOptions.key("checkpoint.interval.ms")
                    .longType()
                    .defaultValue(60_000L)
                    .withDescription(
                            "Checkpoint interval in ms (1000–900000) when the runtime has not"
                                    + " enabled checkpointing itself (MSF sets its own). Files are"
                                    + " committed and loaded once per checkpoint, so this bounds"
                                    + " delivery latency.");

    public static final List<ConfigOption<?>> ALL = List.of(CHECKPOINT_INTERVAL_MS);

    private JobOptions() {}
}
