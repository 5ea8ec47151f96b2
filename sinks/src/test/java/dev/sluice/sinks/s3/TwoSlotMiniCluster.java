package dev.sluice.sinks.s3;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster of the S3 output job tests: one task manager, two slots, for parallelism 2. */
final class TwoSlotMiniCluster {

    private TwoSlotMiniCluster() {}

    /** A new extension, to register as a static field of one test class. */
    static MiniClusterExtension extension() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }
}
