package io.segmentramen.entry;

import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.RamenProfile;

/**
 * Every secret holds what a configuration library's expressions would change: {@code $}, {@code $$},
 * {@code ${HOME}} (a variable that is set), a <code>${</code> never closed, {@code \} (before a {@code $}
 * too) and <code>}</code>; the Segment values are shaped like AWS's {@code get-random-password} output.
 * Ramen is a WireMock, so that the exact API key header and {@code auth_hash} it receives are seen.
 */
public class LiteralSecretsProfile extends RamenProfile {

    public static final String AUTH_TOKEN = "tok${HOME}x$$y\\$z}";
    public static final String PREVIOUS_AUTH_TOKEN = "oLd$t0k\\{}$${unclosed";
    public static final String SHARED_SECRET = "k$Q{9\\x}$$e${HOME}\\$r";
    public static final String PREVIOUS_SHARED_SECRET = "pr3v\\${abc";
    public static final String SECRET_KEY = "k3y$$\\}${abc";
    public static final String API_KEY = "key$1$$2${HOME}3\\4}";

    public LiteralSecretsProfile() {
        super(FakeRamen.class,
                "SEGMENT_AUTH_TOKEN", AUTH_TOKEN,
                "SEGMENT_AUTH_TOKEN_PREVIOUS", PREVIOUS_AUTH_TOKEN,
                "SEGMENT_SHARED_SECRET", SHARED_SECRET,
                "SEGMENT_SHARED_SECRET_PREVIOUS", PREVIOUS_SHARED_SECRET,
                "RAMEN_SECRET_KEY", SECRET_KEY,
                "RAMEN_API_KEY", API_KEY,
                "ramen.timeout", "2s",
                "ramen.deadline", "5s");
    }
}
