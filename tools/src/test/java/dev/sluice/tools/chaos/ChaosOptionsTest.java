package dev.sluice.tools.chaos;

import dev.sluice.localstack.JobJar;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChaosOptionsTest {

    @Test
    void flagsOverrideTheNamedDefaults() {
        ChaosOptions options =
                ChaosOptions.parse(
                        new String[] {
                            "--runs",
                            "20",
                            "--records",
                            "100_000",
                            "--seed",
                            "7",
                            "--job-jar",
                            "some.jar"
                        });

        assertThat(options.runs()).isEqualTo(20);
        assertThat(options.records()).isEqualTo(100_000);
        assertThat(options.seed()).isEqualTo(7L);
        assertThat(options.jobJar()).isEqualTo(Path.of("some.jar"));
        assertThat(options.rate()).isEqualTo(ChaosOptions.DEFAULT_RATE);
        assertThat(options.faults()).isEqualTo(ChaosOptions.DEFAULT_FAULTS);
    }

    @Test
    void faultsRotateOverTheRunsInTheOrderGiven() {
        ChaosOptions options =
                ChaosOptions.parse(
                        new String[] {
                            "--faults", "taskmanager-during-copy,kinesis", "--job-jar", "j.jar"
                        });

        assertThat(options.faults()).containsExactly(Fault.TASK_MANAGER_DURING_COPY, Fault.KINESIS);
        assertThat(List.of(options.faultOf(1), options.faultOf(2), options.faultOf(3)))
                .containsExactly(
                        Fault.TASK_MANAGER_DURING_COPY,
                        Fault.KINESIS,
                        Fault.TASK_MANAGER_DURING_COPY);
    }

    @Test
    void badFlagsAreOneClearLine() {
        assertThatThrownBy(() -> ChaosOptions.parse(new String[] {"--runz", "2"}))
                .hasMessage("unknown flag --runz");
        assertThatThrownBy(() -> ChaosOptions.parse(new String[] {"--records", "many"}))
                .hasMessage("--records takes a whole number, not 'many'");
        assertThatThrownBy(
                        () ->
                                ChaosOptions.parse(
                                        new String[] {"--runs", "0", "--job-jar", "j.jar"}))
                .hasMessage("--runs must be positive, not 0");
        assertThatThrownBy(() -> ChaosOptions.parse(new String[] {"--faults", "network"}))
                .hasMessageStartingWith("unknown fault 'network'; one of taskmanager,");
        assertThatThrownBy(() -> ChaosOptions.parse(new String[] {"--seed"}))
                .hasMessage("--seed needs a value");
    }

    @Test
    void aMissingJobJarSaysHowToBuildIt() {
        assertThatThrownBy(() -> JobJar.find(Path.of("no", "such", "target")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist (build with mvn -B install -DskipTests");
    }
}
