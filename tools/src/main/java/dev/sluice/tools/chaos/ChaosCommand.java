package dev.sluice.tools.chaos;

import java.nio.file.Path;

/**
 * {@code ./sluice chaos}: the chaos suite from the command line. Prints progress and the seed,
 * writes the report under {@code benchmarks/results/} (or {@code --results}), and exits 0 only if
 * every run completed with nothing lost or duplicated.
 */
public final class ChaosCommand {

    private ChaosCommand() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(ChaosOptions.USAGE);
            return;
        }
        ChaosOptions options;
        try {
            options = ChaosOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sluice chaos: " + e.getMessage());
            System.err.println(ChaosOptions.USAGE);
            System.exit(2);
            return;
        }
        // Hadoop's S3A in this JVM is not used, but the SDK v1 on the class path announces itself.
        System.setProperty("aws.java.v1.disableDeprecationAnnouncement", "true");
        ChaosReport report = new ChaosReport(args);
        ChaosSuite.Outcome outcome =
                new ChaosSuite(options, line -> System.out.println("[chaos] " + line)).run();
        Path written = report.write(options.resultsDir(), options, outcome);
        boolean passed = outcome.passed(options.runs());
        System.out.println(
                "[chaos] "
                        + (passed ? "PASSED" : "FAILED")
                        + " (seed "
                        + options.seed()
                        + "); report: "
                        + written);
        System.exit(passed ? 0 : 1);
    }
}
