package io.segmentramen.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segmentramen.json.Json;
import io.segmentramen.lambda.PayloadKind;

import java.util.List;
import java.util.Set;

/**
 * Generated JSON objects for the payload sniffer: keys drawn mostly from the ones that decide the
 * kind, values of every JSON type nested a few levels, so that significant keys appear at the top
 * level and inside values alike. {@link #oracle} is the rule read from a tree.
 */
final class SniffedObjects {

    /** Picks an int in [min, max]: Jazzer's data or a seeded Random. */
    interface Choices {
        int pick(int min, int max);
    }

    /** Keys whose value's type (not only presence) is part of the rule. */
    static final Set<String> TYPED_KEYS = Set.of("type", "routeArn", "requestContext", "Records");
    private static final List<String> KEYS = List.of("type", "routeArn", "routeKey", "httpMethod", "requestContext", "Records",
            "http", "eventSource", "event", "userId", "body");
    private static final List<String> TEXTS = List.of("REQUEST", "aws:sqs", "track", "POST /events", "arn", "");
    private static final int MAX_DEPTH = 4;

    private final Choices choices;

    SniffedObjects(Choices choices) {
        this.choices = choices;
    }

    ObjectNode object(int depth) {
        ObjectNode object = Json.object();
        int fields = choices.pick(0, 5);
        for (int i = 0; i < fields; i++) {
            String key = KEYS.get(choices.pick(0, KEYS.size() - 1));
            if (!object.has(key)) { // no duplicate keys: a tree cannot hold them
                object.set(key, value(depth + 1));
            }
        }
        return object;
    }

    private JsonNode value(int depth) {
        int kind = choices.pick(0, depth >= MAX_DEPTH ? 3 : 5);
        return switch (kind) {
            case 0 -> Json.MAPPER.getNodeFactory().textNode(TEXTS.get(choices.pick(0, TEXTS.size() - 1)));
            case 1 -> Json.MAPPER.getNodeFactory().numberNode(choices.pick(-1, 1));
            case 2 -> Json.MAPPER.getNodeFactory().booleanNode(choices.pick(0, 1) == 1);
            case 3 -> Json.MAPPER.getNodeFactory().nullNode();
            case 4 -> object(depth);
            default -> {
                ArrayNode array = Json.MAPPER.createArrayNode();
                int elements = choices.pick(0, 3);
                for (int i = 0; i < elements; i++) {
                    array.add(value(depth + 1));
                }
                yield array;
            }
        };
    }

    /** The value inside an object and inside an array, next to keys that would make every other kind. */
    static List<JsonNode> wrappings(JsonNode value) {
        ObjectNode object = Json.object();
        object.set("inner", value.deepCopy());
        object.put("type", "REQUEST").put("routeArn", "arn").put("routeKey", "POST /events");
        object.putObject("requestContext").putObject("http");
        object.putArray("Records").addObject().put("eventSource", "aws:sqs");
        ArrayNode array = Json.MAPPER.createArrayNode().add(object.deepCopy()).add(value.deepCopy());
        return List.of(object, array);
    }

    /** The payload-kind rule over a tree: only the top level decides (and requestContext.http, Records[0].eventSource). */
    static PayloadKind oracle(ObjectNode event) {
        JsonNode type = event.get("type");
        JsonNode routeArn = event.get("routeArn");
        if (type != null && type.isTextual() && type.asText().equals("REQUEST") && routeArn != null && routeArn.isTextual()) {
            return PayloadKind.AUTHORIZER;
        }
        JsonNode context = event.get("requestContext");
        if (context != null && context.isObject() && (event.has("routeKey") || event.has("httpMethod") || context.has("http"))) {
            return PayloadKind.API_GATEWAY;
        }
        JsonNode records = event.get("Records");
        if (records != null && records.isArray() && !records.isEmpty()) {
            JsonNode source = records.get(0).get("eventSource");
            if (source != null && source.isTextual() && source.asText().equals("aws:sqs")) {
                return PayloadKind.SQS;
            }
        }
        return PayloadKind.DIRECT;
    }
}
