package io.segmentramen.entry;

import io.segmentramen.testing.FakeRamen;
import io.segmentramen.testing.RamenProfile;

/** Both credentials of docs/CONTRACT.md §6 configured, each with a previous value being rotated out. */
public class AuthProfile extends RamenProfile {

    public static final String SHARED_SECRET = "test-shared-secret";
    public static final String AUTH_TOKEN = "test-auth-token";
    /** The values being rotated out, accepted beside the current ones. */
    public static final String PREVIOUS_SHARED_SECRET = "test-shared-secret-previous";
    public static final String PREVIOUS_AUTH_TOKEN = "test-auth-token-previous";

    public AuthProfile() {
        super(FakeRamen.class,
                "SEGMENT_SHARED_SECRET", SHARED_SECRET,
                "SEGMENT_AUTH_TOKEN", AUTH_TOKEN,
                "SEGMENT_SHARED_SECRET_PREVIOUS", PREVIOUS_SHARED_SECRET,
                "SEGMENT_AUTH_TOKEN_PREVIOUS", PREVIOUS_AUTH_TOKEN,
                "ramen.timeout", "2s",
                "ramen.deadline", "5s");
    }
}
