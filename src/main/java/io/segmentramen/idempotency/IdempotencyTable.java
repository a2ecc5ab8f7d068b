package io.segmentramen.idempotency;

import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The optional idempotency table (docs/CONTRACT.md §5, "Exactly once across instances"): one item per
 * Segment messageId, {@code INPROGRESS} while an instance delivers it (until {@code in_progress_expiry},
 * the event's deadline) and {@code COMPLETED} with its outcome after Ramen's 2xx or a permanent
 * rejection; every item expires ({@code expiry}, the table's TTL attribute) after the configured time.
 * A claim is one conditional PutItem; completing is one UpdateItem; a retryable failure deletes the
 * claim. The calls run on {@code executor} so that a batch's visitors claim concurrently, and each is
 * bounded by the client's per-attempt timeout, one retry and the time the event has left.
 */
public final class IdempotencyTable {

    private static final Logger LOG = Logger.getLogger(IdempotencyTable.class);
    static final String IN_PROGRESS = "INPROGRESS";
    static final String COMPLETED = "COMPLETED";
    /** The longest one call may take, retry included, when the event has more time than that. */
    static final Duration CALL_BUDGET = Duration.ofMillis(600);
    private static final String CLAIM_CONDITION =
            "attribute_not_exists(id) OR expiry < :now OR (#status = :inprogress AND in_progress_expiry < :now_ms)";

    /** What a claim found. */
    public sealed interface Claim {
    }

    /** This instance holds the messageId now: deliver it, then {@link #complete} or {@link #release}. */
    public record Acquired() implements Claim {
    }

    /** The messageId was handled already (by any instance); {@code outcome} as it was recorded. */
    public record Completed(String outcome) implements Claim {
    }

    /** Another instance is delivering the messageId right now (its claim has not expired). */
    public record HeldElsewhere() implements Claim {
    }

    /** The table could not be asked (network, credentials, throttling, time): {@code cause} names the error class. */
    public record Unreachable(String cause) implements Claim {
    }

    private final DynamoDbClient client;
    private final String tableName;
    private final Duration expiry;
    private final Clock clock;
    private final Executor executor;

    public IdempotencyTable(DynamoDbClient client, String tableName, Duration expiry, Clock clock, Executor executor) {
        this.client = client;
        this.tableName = tableName;
        this.expiry = expiry;
        this.clock = clock;
        this.executor = executor;
    }

    /**
     * Claims {@code messageId} until {@code inProgressUntil} with one conditional write; the old item
     * comes back on a failed condition, so no read is needed.
     */
    public CompletableFuture<Claim> claim(String messageId, Instant inProgressUntil) {
        return claim(messageId, inProgressUntil, UUID.randomUUID().toString());
    }

    /**
     * {@code owner} is this claim's own token: when the SDK's retry of the write finds the item its
     * first attempt wrote (that attempt's answer was lost), the claim is ours, not another instance's.
     */
    CompletableFuture<Claim> claim(String messageId, Instant inProgressUntil, String owner) {
        return call(() -> {
            Instant now = clock.instant();
            try {
                client.putItem(put -> put.tableName(tableName)
                        .item(Map.of("id", s(messageId), "status", s(IN_PROGRESS), "owner", s(owner),
                                "expiry", n(now.plus(expiry).getEpochSecond()), "in_progress_expiry", n(inProgressUntil.toEpochMilli())))
                        .conditionExpression(CLAIM_CONDITION)
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()), ":now_ms", n(now.toEpochMilli()),
                                ":inprogress", s(IN_PROGRESS)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                        .overrideConfiguration(o -> o.apiCallTimeout(budget(inProgressUntil))));
                return new Acquired();
            } catch (ConditionalCheckFailedException held) {
                Map<String, AttributeValue> old = held.hasItem() ? held.item() : Map.of();
                AttributeValue status = old.get("status");
                if (status != null && COMPLETED.equals(status.s())) {
                    AttributeValue outcome = old.get("outcome");
                    return new Completed(outcome == null ? "" : outcome.s());
                }
                AttributeValue holder = old.get("owner");
                return holder != null && owner.equals(holder.s()) ? new Acquired() : new HeldElsewhere();
            }
        }, error -> new Unreachable(error));
    }

    /** Marks a claimed messageId handled, with its outcome (a status, and the reason code when there is one). */
    public CompletableFuture<Boolean> complete(String messageId, String outcome) {
        return call(() -> {
            Instant now = clock.instant();
            client.updateItem(update -> update.tableName(tableName).key(Map.of("id", s(messageId)))
                    .updateExpression("SET #status = :completed, outcome = :outcome, expiry = :expiry REMOVE in_progress_expiry")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":completed", s(COMPLETED), ":outcome", s(outcome),
                            ":expiry", n(now.plus(expiry).getEpochSecond())))
                    .overrideConfiguration(o -> o.apiCallTimeout(CALL_BUDGET)));
            return true;
        }, error -> {
            LOG.warnf("the idempotency table could not record a delivered event as completed (%s): a resend until its claim expires is"
                    + " refused in_progress_elsewhere, after that it may be delivered again", error);
            return false;
        });
    }

    /** Gives a claim up (a retryable failure), so that Segment's retry may deliver it anywhere at once. */
    public CompletableFuture<Boolean> release(String messageId) {
        return call(() -> {
            try {
                client.deleteItem(delete -> delete.tableName(tableName).key(Map.of("id", s(messageId)))
                        .conditionExpression("#status = :inprogress")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":inprogress", s(IN_PROGRESS)))
                        .overrideConfiguration(o -> o.apiCallTimeout(CALL_BUDGET)));
            } catch (ConditionalCheckFailedException alreadyCompleted) {
                return false;
            }
            return true;
        }, error -> {
            LOG.warnf("the idempotency table could not release a claim (%s): a resend waits until the claim expires", error);
            return false;
        });
    }

    /**
     * One ERROR line per request that delivered events without the table (fail-open): the template's
     * metric filter counts these lines for the idempotency alarm (docs/RUNBOOK.md).
     */
    public static void logUnguarded(int events, String cause) {
        LOG.errorf("idempotency table unreachable (%s): %d events delivered without the exactly-once check", cause, events);
    }

    private Duration budget(Instant until) {
        Duration left = Duration.between(clock.instant(), until);
        if (left.compareTo(CALL_BUDGET) > 0) {
            return CALL_BUDGET;
        }
        return left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
    }

    private <T> CompletableFuture<T> call(Supplier<T> call, java.util.function.Function<String, T> onError) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.get();
            } catch (SdkException | IllegalStateException e) {
                return onError.apply(e.getClass().getSimpleName());
            }
        }, executor);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
