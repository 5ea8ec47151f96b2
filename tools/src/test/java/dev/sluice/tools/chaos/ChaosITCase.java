package dev.sluice.tools.chaos;

import dev.sluice.localstack.JobJar;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos suite's CI version: two runs of 20,000 events each on a real standalone cluster (a
 * JobManager and a TaskManager JVM running the shaded job jar), with the faults CI can afford to
 * rotate through: the TaskManager SIGKILLed while the loader's COPY runs, then PostgreSQL stopped
 * and started again while loads go on.
 *
 * <p>Passes when, in each run, every produced event is one row (or an error record), no id is twice
 * and no row has an id never produced; and when each fault really happened: the killed process is
 * gone and a new one serves, the TaskManager died inside a COPY, and after the TaskManager kill the
 * job restarted by itself (its {@code numRestarts} and exception history say so). A PostgreSQL
 * outage is survived by the loader's own retries, so that run need not restart.
 *
 * <p>The same as {@code ./sluice chaos --runs 2 --records 20000 --faults
 * taskmanager-during-copy,postgres --seed 20261201}.
 */
class ChaosITCase {

    private static final int RECORDS = 20_000;

    @TempDir Path workDir;

    @Test
    void aTaskManagerKilledDuringACopyAndAStoppedPostgresLoseAndDuplicateNothing()
            throws Exception {
        ChaosOptions options =
                new ChaosOptions(
                        2,
                        RECORDS,
                        20261201L,
                        List.of(Fault.TASK_MANAGER_DURING_COPY, Fault.POSTGRES),
                        ChaosOptions.DEFAULT_RATE,
                        ChaosOptions.DEFAULT_SHARDS,
                        ChaosOptions.DEFAULT_PARALLELISM,
                        ChaosOptions.DEFAULT_CHECKPOINT_INTERVAL_MS,
                        240,
                        JobJar.find(Path.of("..", "job", "target")),
                        workDir.resolve("stack"),
                        workDir.resolve("results"));
        ChaosReport report = new ChaosReport(new String[] {"(ChaosITCase)"});

        ChaosSuite.Outcome outcome =
                new ChaosSuite(options, line -> System.out.println("[chaos] " + line)).run();
        Path written = report.write(options.resultsDir(), options, outcome);
        System.out.println(Files.readString(written));

        assertThat(outcome.failure()).as("why the suite stopped early").isNull();
        assertThat(outcome.runs()).hasSize(2);
        for (RunResult run : outcome.runs()) {
            String what = "run " + run.run() + " (" + run.fault().label() + ")";
            assertThat(run.produced()).as("%s: events produced", what).isEqualTo(RECORDS);
            assertThat(run.lost()).as("%s: events lost", what).isZero();
            assertThat(run.duplicated()).as("%s: rows twice", what).isZero();
            assertThat(run.unexpected()).as("%s: rows never produced", what).isZero();
            assertThat(run.rows()).as("%s: rows", what).isEqualTo(run.produced() - run.errors());
            assertThat(run.recoveredMillis())
                    .as("%s: the table grew again after the fault", what)
                    .isPositive();
        }

        RunResult taskManager = outcome.runs().get(0);
        assertThat(taskManager.fault()).isEqualTo(Fault.TASK_MANAGER_DURING_COPY);
        assertThat(taskManager.detail()).as("what ran at the kill").startsWith("COPY running");
        assertThat(gone(taskManager.killedPid())).as("the killed TaskManager is gone").isTrue();
        assertThat(taskManager.restarts()).as("the job's numRestarts").isPositive();
        assertThat(taskManager.restartCauses()).as("the job's exception history").isNotEmpty();

        RunResult postgres = outcome.runs().get(1);
        assertThat(postgres.fault()).isEqualTo(Fault.POSTGRES);
        assertThat(postgres.downMillis()).as("PostgreSQL stopped, then started").isPositive();

        try (Stream<Path> files = Files.list(options.resultsDir())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("the report's Markdown and JSON")
                    .anyMatch(name -> name.matches("chaos-\\d{8}-\\d{6}\\.md"))
                    .anyMatch(name -> name.matches("chaos-\\d{8}-\\d{6}\\.json"));
        }
    }

    private static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }
}
