package dev.sluice.job;

import dev.sluice.job.config.ApplicationProperties;
import dev.sluice.job.config.SluiceConfig;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the job jar. On Amazon Managed Service for Apache Flink it reads the
 * application's runtime properties; elsewhere pass {@code --config path/to/properties.json} with
 * the same property groups (see {@code conf/}).
 */
public final class SluiceJob {

    private SluiceJob() {}

    public static void main(String[] args) throws Exception {
        SluiceConfig config = SluiceConfig.from(ApplicationProperties.load(args));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SluicePipeline.build(env, config);
        env.execute("Sluice: " + config.streamName());
    }
}
