package dev.sluice.job;

import dev.sluice.operators.record.SluiceRecord;
import dev.sluice.operators.transform.SluiceTransform;
import dev.sluice.operators.transform.TransformResult;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A user transform that throws once, at the {@link #failAt}-th record it sees across all subtasks
 * of the JVM, and lets everything else through. With {@code on.exception=FAIL_JOB} that fails the
 * job mid-run, with files open in every output, and Flink restarts it from the last checkpoint.
 *
 * <p>State is static because the MiniCluster runs the job in the test's JVM; call {@link #arm}
 * before each job.
 */
public class FailOnceTransform implements SluiceTransform {

    private static final long serialVersionUID = 1L;

    private static final AtomicLong SEEN = new AtomicLong();
    private static final AtomicBoolean FIRED = new AtomicBoolean();
    private static volatile long failAt = Long.MAX_VALUE;

    /** Throw at the {@code recordNumber}-th record from now on. */
    public static void arm(long recordNumber) {
        SEEN.set(0);
        FIRED.set(false);
        failAt = recordNumber;
    }

    public static boolean fired() {
        return FIRED.get();
    }

    @Override
    public TransformResult transform(SluiceRecord record) {
        if (SEEN.incrementAndGet() >= failAt && FIRED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure: the test fails the job once");
        }
        return TransformResult.ok();
    }
}
