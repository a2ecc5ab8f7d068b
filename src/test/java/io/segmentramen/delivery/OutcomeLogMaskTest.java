package io.segmentramen.delivery;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The outcome line's email masking skips texts without '@' and masks every other one exactly as the pattern does. */
class OutcomeLogMaskTest {

    /** The masking rule written out independently: keep the local part's first character and the domain. */
    private static final Pattern EMAIL = Pattern.compile("(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*+@([A-Za-z0-9.-]+)");
    private static final String ALPHABET = "ab.@_-+%xZ9 :,\"é@";

    @Test
    void examples() {
        assertEquals("a***@example.com", OutcomeLog.mask("ada@example.com"));
        assertEquals("no email here", OutcomeLog.mask("no email here"));
        assertEquals("@ at start, then b***@c.d", OutcomeLog.mask("@ at start, then bob@c.d"));
        assertEquals(null, OutcomeLog.mask(null));
    }

    @Test
    void sameAsThePatternOnGeneratedTexts() {
        Random random = new Random(20261207L);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(24);
            for (int j = 0; j < length; j++) {
                text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String input = text.toString();
            assertEquals(EMAIL.matcher(input).replaceAll("$1***@$2"), OutcomeLog.mask(input), input);
        }
    }
}
