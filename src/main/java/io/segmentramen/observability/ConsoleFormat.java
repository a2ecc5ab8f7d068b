package io.segmentramen.observability;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.handlers.ConsoleHandler;

import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * The console's format for application lines (LOG_FORMAT, docs/CONTRACT.md §7): {@code json} (deployed)
 * puts {@link JsonLogFormatter} on the root logger's console handler before any other start-up
 * observer logs; {@code text} (dev mode and tests) keeps Quarkus's pattern. Outcome and EMF lines
 * have their own console handler ({@code %s%n}, application.properties): they are JSON documents of
 * their own, written raw, and this never touches them.
 */
@Singleton
public class ConsoleFormat {

    /** The two formats of application lines. */
    public enum Format { json, text }

    @ConfigProperty(name = "log.format")
    Format format;

    void onStart(@Observes @Priority(1) StartupEvent event) {
        if (format == Format.json) {
            useJson(Logger.getLogger("").getHandlers(), new JsonLogFormatter());
        }
    }

    private static void useJson(Handler[] handlers, JsonLogFormatter formatter) {
        for (Handler handler : handlers) {
            if (handler instanceof ConsoleHandler) {
                handler.setFormatter(formatter);
            } else if (handler instanceof ExtHandler ext) {
                useJson(ext.getHandlers(), formatter);
            }
        }
    }
}
