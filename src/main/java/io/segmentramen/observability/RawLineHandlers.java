package io.segmentramen.observability;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * Outcome and EMF lines are JSON documents of their own, written raw (fields at the root,
 * {@code _aws} at the root for EMF). Quarkus's JSON log formatter also takes over named console
 * handlers, which would wrap each line as the escaped {@code message} of another JSON object; so at
 * start the console handlers of these categories get back a plain {@code %s%n} formatter.
 */
@Singleton
public class RawLineHandlers {

    /** The categories whose lines are already JSON. */
    public static final String[] CATEGORIES = {"io.segmentramen.outcome", MetricsEmitter.CATEGORY};

    void onStart(@Observes @Priority(1) StartupEvent event) {
        for (String category : CATEGORIES) {
            makeRaw(Logger.getLogger(category).getHandlers());
        }
    }

    private static void makeRaw(Handler[] handlers) {
        for (Handler handler : handlers) {
            if (handler instanceof ConsoleHandler) {
                handler.setFormatter(new PatternFormatter("%s%n"));
            } else if (handler instanceof ExtHandler ext) {
                makeRaw(ext.getHandlers());
            }
        }
    }
}
