package dev.sluice.benchmarks;

/** One way of getting the benchmark's rows into the table; {@link #run} is what is timed. */
interface Contender {

    String name();

    /** What a reader needs to know to compare fairly (parallelism, batching, input format). */
    String notes();

    void run(BenchmarkData data) throws Exception;
}
