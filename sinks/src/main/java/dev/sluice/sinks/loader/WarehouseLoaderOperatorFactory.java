package dev.sluice.sinks.loader;

import dev.sluice.sinks.warehouse.WarehouseLoaderConfig;

import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.YieldingOperatorFactory;
import org.apache.flink.util.function.SerializableSupplier;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Creates {@link WarehouseLoaderOperator}s with the task's mailbox, through which loads that
 * finished on the background thread come back.
 */
final class WarehouseLoaderOperatorFactory extends AbstractStreamOperatorFactory<Void>
        implements OneInputStreamOperatorFactory<CommittableMessage<CommittedFile>, Void>,
                YieldingOperatorFactory<Void> {

    private static final long serialVersionUID = 1L;

    static final String THREAD_NAME = "sluice-warehouse-loader";

    private final WarehouseLoaderConfig config;
    private final LoaderExecutionOptions execution;
    private final SerializableSupplier<Executor> executors;

    WarehouseLoaderOperatorFactory(WarehouseLoaderConfig config, LoaderExecutionOptions execution) {
        this(config, execution, WarehouseLoaderOperatorFactory::singleThread);
    }

    /** With another executor for the loads, e.g. one a test runs by hand. */
    WarehouseLoaderOperatorFactory(
            WarehouseLoaderConfig config,
            LoaderExecutionOptions execution,
            SerializableSupplier<Executor> executors) {
        this.config = config;
        this.execution = execution;
        this.executors = executors;
    }

    private static Executor singleThread() {
        return Executors.newSingleThreadExecutor(
                runnable -> {
                    Thread thread = new Thread(runnable, THREAD_NAME);
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StreamOperator<Void>> T createStreamOperator(
            StreamOperatorParameters<Void> parameters) {
        WarehouseLoaderOperator operator =
                new WarehouseLoaderOperator(config, execution, executors, getMailboxExecutor());
        operator.setup(
                parameters.getContainingTask(),
                parameters.getStreamConfig(),
                parameters.getOutput());
        return (T) operator;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return WarehouseLoaderOperator.class;
    }
}
