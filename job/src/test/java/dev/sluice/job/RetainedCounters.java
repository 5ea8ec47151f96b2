package dev.sluice.job;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A metric reporter that keeps every counter of every job ever run in this JVM, after its task
 * ended and after its MiniCluster closed, so that a test can add up a counter over all attempts and
 * runs of a job.
 *
 * <p>Flink's {@code InMemoryReporter} forgets its registration when a MiniCluster closes, so with
 * the one MiniCluster extension the job ITCases share (started and stopped per test class) it
 * reports nothing from the second test class on.
 */
public final class RetainedCounters implements MetricReporter {

    private record Registered(String jobId, String name, Counter counter) {}

    private static final List<Registered> COUNTERS = new CopyOnWriteArrayList<>();

    /** Adds this reporter to a MiniCluster's configuration. */
    static Configuration addTo(Configuration conf) {
        conf.setString("metrics.reporter.retained.factory.class", Factory.class.getName());
        return conf;
    }

    /** The sum of the counters named {@code name} of these jobs (hex job ids). */
    static long sum(String name, Set<String> jobIds) {
        long sum = 0;
        for (Registered registered : COUNTERS) {
            if (registered.name().equals(name) && jobIds.contains(registered.jobId())) {
                sum += registered.counter().getCount();
            }
        }
        return sum;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String jobId = group.getAllVariables().get("<job_id>");
        if (metric instanceof Counter counter && jobId != null) {
            COUNTERS.add(new Registered(jobId, name, counter));
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}

    /** Found by class name from the MiniCluster's configuration. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new RetainedCounters();
        }
    }
}
