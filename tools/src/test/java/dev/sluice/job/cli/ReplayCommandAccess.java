package dev.sluice.job.cli;

import java.io.PrintStream;

/** Lets tests in other packages run {@link ReplayCommand} without {@code System.exit}. */
public final class ReplayCommandAccess {

    private ReplayCommandAccess() {}

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return ReplayCommand.run(args, out, err);
    }
}
