package dev.sluice.tools.chaos;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What the chaos suite breaks, one per run. Every fault ends a real process on this machine and
 * starts it again; none is simulated inside the job.
 */
public enum Fault {
    /** SIGKILL of the TaskManager's JVM, then a new TaskManager on new ports. */
    TASK_MANAGER("taskmanager"),
    /**
     * The same, aimed at a load: the TaskManager is killed as soon as {@code pg_stat_activity}
     * shows the loader's {@code COPY} running, so the load transaction dies half-way.
     */
    TASK_MANAGER_DURING_COPY("taskmanager-during-copy"),
    /** SIGKILL of S3Proxy, restarted on the same port with the same objects. */
    S3PROXY("s3proxy"),
    /**
     * PostgreSQL stopped ({@code pg_ctl stop -m fast}: sessions terminated, open transactions
     * rolled back) and started again on the same port with the same data.
     */
    POSTGRES("postgres"),
    /**
     * SIGKILL of kinesalite, restarted on the same port with its LevelDB store, so streams, records
     * and issued shard iterators survive (see {@code KinesaliteServer#startPersistent}).
     */
    KINESIS("kinesis");

    private final String label;

    Fault(String label) {
        this.label = label;
    }

    /** The name used on the command line and in reports. */
    public String label() {
        return label;
    }

    /** Whether this fault kills the TaskManager (the job must restart from a checkpoint). */
    public boolean killsTaskManager() {
        return this == TASK_MANAGER || this == TASK_MANAGER_DURING_COPY;
    }

    /**
     * @throws IllegalArgumentException naming the accepted labels
     */
    public static Fault of(String label) {
        for (Fault fault : values()) {
            if (fault.label.equals(label)) {
                return fault;
            }
        }
        throw new IllegalArgumentException(
                "unknown fault '"
                        + label
                        + "'; one of "
                        + Arrays.stream(values())
                                .map(Fault::label)
                                .collect(Collectors.joining(", ")));
    }
}
