package io.segmentramen.observability;

import org.jboss.logging.MDC;

import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Runs work on another executor with the submitting thread's request context: its
 * {@link RequestMetrics} (so Ramen requests made on delivery threads count towards the request's
 * EMF line) and its MDC (so their log lines carry the {@code awsRequestId}).
 */
public final class ContextPropagatingExecutor implements Executor {

    private final Executor delegate;

    public ContextPropagatingExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable command) {
        RequestMetrics metrics = RequestMetrics.current();
        Map<String, Object> mdc = MDC.getMap();
        delegate.execute(() -> {
            RequestMetrics before = RequestMetrics.install(metrics);
            Map<String, Object> mdcBefore = MDC.getMap();
            replaceMdc(mdc);
            try {
                command.run();
            } finally {
                replaceMdc(mdcBefore);
                RequestMetrics.install(before);
            }
        });
    }

    private static void replaceMdc(Map<String, Object> values) {
        MDC.clear();
        values.forEach(MDC::put);
    }
}
