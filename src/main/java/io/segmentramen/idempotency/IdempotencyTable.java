package io.segmentramen.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The optional idempotency table (docs/CONTRACT.md §5, "Exactly once across instances"): one item per
 * Segment messageId, {@code INPROGRESS} while an instance delivers it (until {@code in_progress_expiry},
 * the event's deadline) and {@code COMPLETED} with its outcome after Ramen's 2xx or a permanent
 * rejection; every item expires ({@code expiry}, the table's TTL attribute) after the configured time.
 * A claim is one conditional PutItem; completing is one UpdateItem; a retryable failure deletes the
 * claim. No thread waits for the table ({@link DynamoDbApi} completes on the event loop), so a batch's
 * visitors claim concurrently; each call is bounded by the per-attempt timeout, one retry and the time
 * the event has left.
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

    /** The table could not be asked (network, credentials, throttling, time): {@code cause} names the error type or the failure. */
    public record Unreachable(String cause) implements Claim {
    }

    private final DynamoDbApi api;
    private final String tableName;
    private final Duration expiry;
    private final Clock clock;

    public IdempotencyTable(DynamoDbApi api, String tableName, Duration expiry, Clock clock) {
        this.api = api;
        this.tableName = tableName;
        this.expiry = expiry;
        this.clock = clock;
    }

    /**
     * Claims {@code messageId} until {@code inProgressUntil} with one conditional write; the old item
     * comes back on a failed condition, so no read is needed.
     */
    public CompletableFuture<Claim> claim(String messageId, Instant inProgressUntil) {
        return claim(messageId, inProgressUntil, UUID.randomUUID().toString());
    }

    /**
     * {@code owner} is this claim's own token: when the retry of the write finds the item its first
     * attempt wrote (that attempt's answer was lost), the claim is ours, not another instance's.
     */
    CompletableFuture<Claim> claim(String messageId, Instant inProgressUntil, String owner) {
        Instant now = clock.instant();
        ObjectNode put = request();
        put.putObject("Item").setAll(item(messageId, owner, now, inProgressUntil));
        put.put("ConditionExpression", CLAIM_CONDITION);
        namingStatus(put);
        ObjectNode values = put.putObject("ExpressionAttributeValues");
        values.set(":now", n(now.getEpochSecond()));
        values.set(":now_ms", n(now.toEpochMilli()));
        values.set(":inprogress", s(IN_PROGRESS));
        put.put("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
        return api.call("PutItem", put, budget(inProgressUntil)).thenApply(answer -> {
            if (answer instanceof DynamoDbApi.ConditionFailed held) {
                return heldBy(held.body().path("Item"), owner);
            }
            return answer instanceof DynamoDbApi.Unreachable unreachable ? new Unreachable(unreachable.cause()) : new Acquired();
        });
    }

    private ObjectNode item(String messageId, String owner, Instant now, Instant inProgressUntil) {
        ObjectNode item = Json.MAPPER.createObjectNode();
        item.set("id", s(messageId));
        item.set("status", s(IN_PROGRESS));
        item.set("owner", s(owner));
        item.set("expiry", n(now.plus(expiry).getEpochSecond()));
        item.set("in_progress_expiry", n(inProgressUntil.toEpochMilli()));
        return item;
    }

    /** What the old item of a failed claim says: recorded, held by this very claim, or held by another instance. */
    private static Claim heldBy(JsonNode old, String owner) {
        if (COMPLETED.equals(old.path("status").path("S").asText(null))) {
            return new Completed(old.path("outcome").path("S").asText(""));
        }
        return owner.equals(old.path("owner").path("S").asText(null)) ? new Acquired() : new HeldElsewhere();
    }

    /** Marks a claimed messageId handled, with its outcome (a status, and the reason code when there is one). */
    public CompletableFuture<Boolean> complete(String messageId, String outcome) {
        Instant now = clock.instant();
        ObjectNode update = keyed(messageId);
        update.put("UpdateExpression", "SET #status = :completed, outcome = :outcome, expiry = :expiry REMOVE in_progress_expiry");
        namingStatus(update);
        ObjectNode values = update.putObject("ExpressionAttributeValues");
        values.set(":completed", s(COMPLETED));
        values.set(":outcome", s(outcome));
        values.set(":expiry", n(now.plus(expiry).getEpochSecond()));
        return api.call("UpdateItem", update, CALL_BUDGET).thenApply(answer -> {
            if (answer instanceof DynamoDbApi.Done) {
                return true;
            }
            LOG.warnf("the idempotency table could not record a delivered event as completed (%s): a resend until its claim expires is"
                    + " refused in_progress_elsewhere, after that it may be delivered again", cause(answer));
            return false;
        });
    }

    /** Gives a claim up (a retryable failure), so that Segment's retry may deliver it anywhere at once. */
    public CompletableFuture<Boolean> release(String messageId) {
        ObjectNode delete = keyed(messageId);
        delete.put("ConditionExpression", "#status = :inprogress");
        namingStatus(delete);
        delete.putObject("ExpressionAttributeValues").set(":inprogress", s(IN_PROGRESS));
        return api.call("DeleteItem", delete, CALL_BUDGET).thenApply(answer -> {
            if (answer instanceof DynamoDbApi.Unreachable) {
                LOG.warnf("the idempotency table could not release a claim (%s): a resend waits until the claim expires", cause(answer));
            }
            return answer instanceof DynamoDbApi.Done; // a failed condition: already completed, nothing to release
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

    private ObjectNode request() {
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("TableName", tableName);
        return request;
    }

    /** {@code status} is one of DynamoDB's reserved words: every expression names it {@code #status}. */
    private static void namingStatus(ObjectNode request) {
        request.putObject("ExpressionAttributeNames").put("#status", "status");
    }

    private ObjectNode keyed(String messageId) {
        ObjectNode request = request();
        request.putObject("Key").set("id", s(messageId));
        return request;
    }

    private static String cause(DynamoDbApi.Answer answer) {
        return answer instanceof DynamoDbApi.Unreachable unreachable ? unreachable.cause() : "ConditionalCheckFailedException";
    }

    /** A DynamoDB string attribute value. */
    static ObjectNode s(String value) {
        return Json.MAPPER.createObjectNode().put("S", value);
    }

    /** A DynamoDB number attribute value. */
    static ObjectNode n(long value) {
        return Json.MAPPER.createObjectNode().put("N", Long.toString(value));
    }
}
