package dev.sluice.job.cli;

import dev.sluice.job.config.ApplicationProperties;
import dev.sluice.job.config.SluiceConfig;
import dev.sluice.job.preflight.CheckResult;
import dev.sluice.job.preflight.Preflight;

import org.apache.flink.core.fs.FileSystem;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code ./sluice check --config FILE [--warehouse-selftest [--scratch-schema NAME]]}: the
 * preflight of a configuration against the services it names, one line per check ({@link
 * Preflight}); with {@code --warehouse-selftest}, also the whole load protocol once against the
 * warehouse in a scratch schema ({@link WarehouseSelfTest}).
 *
 * <p>It reads the file SluiceJob reads, including the {@code S3} group's {@code s3.*} keys, and
 * uses the job's own classes (configuration readers, connection provider, ledger, loader), so what
 * passes here is what the job will meet. Values of secret keys never appear in its output.
 *
 * <p>Exit status: 0 when every check passes, 2 when one fails or the configuration is invalid, 1 on
 * an unexpected error.
 */
public final class CheckCommand {

    static final String USAGE =
            "usage: ./sluice check --config FILE [--warehouse-selftest [--scratch-schema NAME]]";

    private CheckCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String configFile = null;
        boolean selfTest = false;
        String scratchSchema = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--config" -> configFile = value(args, ++i);
                    case "--warehouse-selftest" -> selfTest = true;
                    case "--scratch-schema" -> scratchSchema = value(args, ++i);
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> {
                        err.println("check: unknown argument '" + args[i] + "'");
                        err.println(USAGE);
                        return 2;
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("check: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (configFile == null || (scratchSchema != null && !selfTest)) {
            err.println(USAGE);
            return 2;
        }
        Map<String, Properties> groups;
        SluiceConfig config;
        try {
            groups = ApplicationProperties.fromFile(Path.of(configFile));
            config = SluiceConfig.from(groups);
        } catch (IllegalArgumentException | IOException e) {
            out.println("FAIL " + configFile + ": " + e.getMessage() + " — fix the configuration");
            return 2;
        }
        Redactor redactor = new Redactor(Preflight.secretValues(groups));
        try {
            FileSystem.initialize(config.s3FileSystem(), null);
            List<CheckResult> results = Preflight.run(groups, config);
            results.forEach(r -> out.println(redactor.apply(r.line())));
            boolean passed = Preflight.passed(results);
            if (selfTest) {
                if (!passed) {
                    out.println("skipped warehouse self-test: fix the failures above first");
                } else {
                    WarehouseSelfTest test =
                            new WarehouseSelfTest(
                                    config,
                                    scratchSchema,
                                    line -> out.println(redactor.apply(line)));
                    passed = test.run();
                }
            }
            return passed ? 0 : 2;
        } catch (Exception e) {
            err.println(
                    redactor.apply(
                            "check: unexpected error: "
                                    + e.getClass().getSimpleName()
                                    + ": "
                                    + e.getMessage()));
            return 1;
        }
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }

    /** Replaces every configured secret value in a line with {@code ***}. */
    static final class Redactor {
        private final List<String> secrets;

        Redactor(List<String> secrets) {
            this.secrets = List.copyOf(secrets);
        }

        String apply(String line) {
            String result = line;
            for (String secret : secrets) {
                result = result.replace(secret, "***");
            }
            return result;
        }
    }
}
