package io.segmentramen.bench;

/** Representative Segment events for the benchmarks: an identify carries 20 traits and a company. */
public final class EventSamples {

    private EventSamples() {
    }

    public static String of(String type) {
        return switch (type) {
            case "identify" -> identify("u-1", "bench-1");
            case "group" -> """
                    {"type":"group","messageId":"bench-g","userId":"u-1","groupId":"c-1","timestamp":"2026-11-28T12:00:00Z",
                     "traits":{"name":"Acme","website":"https://acme.example","created_at":"2019-05-01T00:00:00Z","employees":420,
                               "plan":"enterprise","is_paying":"yes","mrr":1200.5,"industry":"Software"}}""";
            case "track" -> track("u-1", "bench-t");
            case "page" -> """
                    {"type":"page","messageId":"bench-p","anonymousId":"a-1","name":"Pricing","timestamp":"2026-11-28T12:00:00Z",
                     "context":{"page":{"url":"https://acme.example/pricing","path":"/pricing"},"ip":"203.0.113.7"},
                     "properties":{"title":"Pricing"}}""";
            default -> throw new IllegalArgumentException(type);
        };
    }

    public static String identify(String userId, String messageId) {
        return """
                {"type":"identify","messageId":"%s","userId":"%s","timestamp":"2026-11-28T12:00:00Z",
                 "context":{"ip":"203.0.113.7","library":{"name":"analytics.js","version":"4.1.0"}},
                 "traits":{"email":"ada@example.com","firstName":"Ada","lastName":"Lovelace","created_at":1577836800000,
                   "plan":"pro","logins":42,"is_admin":"yes","is_beta":1,"last_seen_at":"2026-11-27T08:00:00Z","trial_ends_at":1800000000,
                   "title":"Engineer","phone":"+1 555 0100","country":"GB","city":"London","team_size":12,"nps":9,
                   "address":{"street":"1 Main St","city":"London","postal_code":"N1"},"tags":["a","b"],"score":0.93,"locale":"en-GB",
                   "company":{"id":"c-1","name":"Acme","website":"https://acme.example","created_at":"2019-05-01T00:00:00Z","employees":420}}}"""
                .formatted(messageId, userId);
    }

    public static String track(String userId, String messageId) {
        return """
                {"type":"track","messageId":"%s","userId":"%s","event":"Report Exported","timestamp":"2026-11-28T12:00:00Z",
                 "properties":{"format":"csv","rows":1200}}""".formatted(messageId, userId);
    }
}
