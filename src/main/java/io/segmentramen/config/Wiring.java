package io.segmentramen.config;

import io.segmentramen.auth.AuthSettings;
import io.segmentramen.auth.RequestAuthenticator;
import io.segmentramen.delivery.Backoff;
import io.segmentramen.delivery.DedupCache;
import io.segmentramen.delivery.EventIntake;
import io.segmentramen.delivery.EventPipeline;
import io.segmentramen.delivery.EventSender;
import io.segmentramen.delivery.Sleeper;
import io.segmentramen.http.HttpCore;
import io.segmentramen.lambda.SqsBatchHandler;
import io.segmentramen.mapping.ImportRule;
import io.segmentramen.mapping.RamenMapper;
import io.segmentramen.observability.MetricsEmitter;
import io.segmentramen.ramen.VertxRamenClient;
import io.segmentramen.ramen.RamenClient;
import io.segmentramen.ramen.Transport;
import io.segmentramen.segment.EventParser;
import io.segmentramen.segment.EventValidator;
import io.segmentramen.signing.SecureModeSigner;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds the plain, framework-free pipeline from configuration. The clock, the sleeper and the
 * Ramen client are beans of their own so that tests can replace them.
 */
@Singleton
public class Wiring {

    private static final Duration BACKOFF_BASE = Duration.ofMillis(100);

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    @DefaultBean
    Sleeper sleeper() {
        return Sleeper.REAL;
    }

    /** The secrets, read literally from the environment (or any configuration source, in tests). */
    @Produces
    @Singleton
    Secrets secrets(Config config) {
        return Secrets.read(config);
    }

    @Produces
    @Singleton
    @DefaultBean
    RamenClient ramenClient(DestinationConfig config, Secrets secrets, Clock clock, Vertx vertx) {
        return new VertxRamenClient(vertx, config.baseUrl(), config.path(), config.transport() == Transport.query,
                secrets.get(Secrets.Name.RAMEN_API_KEY), config.apiKeyHeader(), config.concurrency(), config.timeout(), clock);
    }

    @Produces
    @Singleton
    DedupCache dedupCache(DestinationConfig config) {
        return new DedupCache(config.dedupCapacity());
    }

    /**
     * The pipeline, behind the idempotency table when IDEMPOTENCY_TABLE names one; otherwise no
     * DynamoDB caller or HTTP client is built and nothing about delivery changes.
     */
    @Produces
    @Singleton
    EventPipeline pipeline(DestinationConfig config, SegmentConfig segment, Secrets secrets, RamenClient client, Clock clock,
                           Sleeper sleeper, DedupCache dedup, IdempotencyConfig idempotency, Vertx vertx) {
        EventPipeline pipeline = pipeline(config, segment, secrets, client, clock, sleeper, dedup);
        if (!idempotency.enabled()) {
            return pipeline;
        }
        return pipeline.withTable(IdempotencyClients.table(idempotency, config.concurrency(), clock, vertx),
                idempotency.whenUnreachable() == IdempotencyConfig.WhenUnreachable.deliver);
    }

    /** The pipeline without the idempotency table. */
    EventPipeline pipeline(DestinationConfig config, SegmentConfig segment, Secrets secrets, RamenClient client,
                           Clock clock, Sleeper sleeper, DedupCache dedup) {
        SecureModeSigner signer = new SecureModeSigner(secrets.get(Secrets.Name.RAMEN_SECRET_KEY), config.secureMode(), config.signatureMaxAge());
        EventSender sender = new EventSender(client, signer, clock, sleeper,
                new Backoff(BACKOFF_BASE, () -> ThreadLocalRandom.current().nextDouble()), config.maxAttempts(), config.timeout());
        return new EventPipeline(new EventValidator(segment.maxEventBytes()),
                new RamenMapper(config.organizationId().orElse(""), ImportRule.parse(config.importAfter()), clock),
                signer, sender, dedup, config.concurrency(), clock);
    }

    @Produces
    @Singleton
    EventIntake intake(SegmentConfig segment, DestinationConfig config, EventPipeline pipeline, Clock clock) {
        return new EventIntake(new EventParser(segment.maxBatchEvents(), segment.maxEventBytes()), pipeline, clock, segment.maxBodyBytes(), config.deadline());
    }

    @Produces
    @Singleton
    RequestAuthenticator authenticator(SegmentConfig segment, Secrets secrets) {
        return new RequestAuthenticator(authSettings(segment, secrets));
    }

    /** The one reading of the authentication settings (StartupChecks and ConfigurationSummary use it too). */
    static AuthSettings authSettings(SegmentConfig segment, Secrets secrets) {
        return AuthSettings.of(secrets.get(Secrets.Name.SEGMENT_SHARED_SECRET), secrets.get(Secrets.Name.SEGMENT_SHARED_SECRET_PREVIOUS),
                secrets.get(Secrets.Name.SEGMENT_AUTH_TOKEN), secrets.get(Secrets.Name.SEGMENT_AUTH_TOKEN_PREVIOUS),
                segment.auth(), segment.trustFirstElementSignature());
    }

    @Produces
    @Singleton
    HttpCore httpCore(EventIntake intake, RequestAuthenticator authenticator, OperabilityConfig operability) {
        return new HttpCore(intake, authenticator, operability.dryRun() == OperabilityConfig.DryRun.enabled);
    }

    /** EMF metrics (docs/CONTRACT.md §8); METRICS_SERVICE is the value of the {@code Service} dimension. */
    @Produces
    @Singleton
    MetricsEmitter metricsEmitter(@ConfigProperty(name = "metrics.service", defaultValue = MetricsEmitter.DEFAULT_SERVICE) String service,
                                  Clock clock) {
        return new MetricsEmitter(service, clock);
    }

    @Produces
    @Singleton
    SqsBatchHandler sqsBatchHandler(EventIntake intake, RequestAuthenticator authenticator) {
        return new SqsBatchHandler(intake, authenticator);
    }
}
