package dev.sluice.operators.metrics;

import org.apache.flink.metrics.MetricGroup;

/**
 * The one place where Sluice's metric groups are created: every Sluice metric is registered under
 * {@code <operator scope>.}{@value #MSF_GROUP}{@code .}{@value #SLUICE_GROUP}.
 *
 * <h2>Why {@value #MSF_GROUP}</h2>
 *
 * <p>Amazon Managed Service for Apache Flink forwards custom metrics to CloudWatch only from a
 * metric group named {@code kinesisanalytics} (AWS, "Use custom metrics with Amazon Managed Service
 * for Apache Flink"). User-scope groups below it, here {@value #SLUICE_GROUP}, are published there
 * as CloudWatch dimensions. Histograms are never forwarded, so Sluice registers only counters and
 * gauges.
 *
 * <h2>Elsewhere</h2>
 *
 * <p>Other reporters see the same two scope components, for example Prometheus as {@code
 * flink_taskmanager_job_task_operator_kinesisanalytics_sluice_DeliveryToS3_Records}; the Flink web
 * UI as {@code kinesisanalytics.sluice.DeliveryToS3.Records}.
 */
public final class SluiceMetricGroups {

    /** The group MSF forwards to CloudWatch. */
    public static final String MSF_GROUP = "kinesisanalytics";

    /** Sluice's own group, nested in {@value #MSF_GROUP}. */
    public static final String SLUICE_GROUP = "sluice";

    private SluiceMetricGroups() {}

    /**
     * @param operatorGroup an operator's (or a function's runtime context's) metric group
     * @return the group to register Sluice metrics in
     */
    public static MetricGroup sluice(MetricGroup operatorGroup) {
        return operatorGroup.addGroup(MSF_GROUP).addGroup(SLUICE_GROUP);
    }
}
