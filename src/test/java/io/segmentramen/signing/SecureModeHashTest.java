package io.segmentramen.signing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** docs/CONTRACT.md §4: lowercase hex SHA-256 of {@code email:id:name:timestamp:SECRET}, plain (not an HMAC). */
class SecureModeHashTest {

    @Test
    void specTestVector() {
        assertEquals("09cc0a69233f1bf41e68ed00b9256fde5a4542e9fdba635fe2a9a4edf9ee1ba1",
                SecureModeHash.of("ryan@ramen.is", "42", "Ryan Angilly", 1234567890L, "oihs9uhasdg8934y8"));
    }

    @Test
    void absentValuesAreEmptyStrings() {
        assertEquals(SecureModeSignerTest.sha256(":42::1234567890:s"), SecureModeHash.of(null, "42", null, 1234567890L, "s"));
        assertEquals(SecureModeHash.of("", "42", "", 1234567890L, "s"), SecureModeHash.of(null, "42", null, 1234567890L, "s"));
    }

    @Test
    void utf8AndEveryFieldMatters() {
        String base = SecureModeHash.of("zoë@example.com", "42", "Zoë", 1L, "s");
        assertEquals(SecureModeSignerTest.sha256("zoë@example.com:42:Zoë:1:s"), base);
        assertNotEquals(base, SecureModeHash.of("zoe@example.com", "42", "Zoë", 1L, "s"));
        assertNotEquals(base, SecureModeHash.of("zoë@example.com", "43", "Zoë", 1L, "s"));
        assertNotEquals(base, SecureModeHash.of("zoë@example.com", "42", "Zoe", 1L, "s"));
        assertNotEquals(base, SecureModeHash.of("zoë@example.com", "42", "Zoë", 2L, "s"));
        assertNotEquals(base, SecureModeHash.of("zoë@example.com", "42", "Zoë", 1L, "t"));
    }
}
