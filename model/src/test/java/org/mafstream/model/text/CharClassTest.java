package org.mafstream.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mafstream.model.text.CharClass.CONTROL;
import static org.mafstream.model.text.CharClass.NONSPACING_MARK;
import static org.mafstream.model.text.CharClass.OTHER;
import static org.mafstream.model.text.CharClass.PUNCTUATION;
import static org.mafstream.model.text.CharClass.WHITESPACE;

import org.junit.jupiter.api.Test;

class CharClassTest {

    @Test
    void knownCodePointsHaveThePythonClasses() {
        assertThat(CharClass.of('a')).isEqualTo(OTHER);
        assertThat(CharClass.of(' ')).isEqualTo(WHITESPACE);
        assertThat(CharClass.of('\t')).isEqualTo(WHITESPACE);
        assertThat(CharClass.of('\r')).isEqualTo(WHITESPACE);
        assertThat(CharClass.of(0x0B)).as("VT is Cc: deleted, not a space").isEqualTo(CONTROL);
        assertThat(CharClass.of(0x1F)).isEqualTo(CONTROL);
        assertThat(CharClass.of(0x85)).isEqualTo(CONTROL);
        assertThat(CharClass.of(0xA0)).isEqualTo(WHITESPACE);
        assertThat(CharClass.of(0x3000)).isEqualTo(WHITESPACE);
        assertThat(CharClass.of(0x2028)).as("Zl: kept by cleaning, split by str.split()").isEqualTo(OTHER);
        assertThat(CharClass.of(0xAD)).isEqualTo(CONTROL);
        assertThat(CharClass.of(0x200B)).isEqualTo(CONTROL);
        assertThat(CharClass.of(0xFEFF)).isEqualTo(CONTROL);
        assertThat(CharClass.of(0xE000)).as("private use").isEqualTo(CONTROL);
        assertThat(CharClass.of(0xD800)).as("lone surrogate").isEqualTo(CONTROL);
        assertThat(CharClass.of(0x10FFFF)).isEqualTo(CONTROL);
        assertThat(CharClass.of(0xFFFD)).as("deleted by an explicit test, not by class").isEqualTo(OTHER);
        assertThat(CharClass.of('$')).isEqualTo(PUNCTUATION);
        assertThat(CharClass.of('^')).isEqualTo(PUNCTUATION);
        assertThat(CharClass.of('`')).isEqualTo(PUNCTUATION);
        assertThat(CharClass.of('~')).isEqualTo(PUNCTUATION);
        assertThat(CharClass.of(0x201C)).isEqualTo(PUNCTUATION);
        assertThat(CharClass.of(0x2026)).isEqualTo(PUNCTUATION);
        assertThat(CharClass.of(0x20AC)).as("euro sign is Sc, not ASCII").isEqualTo(OTHER);
        assertThat(CharClass.of(0x0301)).isEqualTo(NONSPACING_MARK);
        assertThat(CharClass.of(0x1F600)).isEqualTo(OTHER);
    }

    @Test
    void unicode14AdditionsThatJava17DoesNotKnowAreClassified() {
        assertThat(CharClass.of(0x1FAE0)).as("melting face, So in 14.0").isEqualTo(OTHER);
        assertThat(CharClass.of(0x2E53)).as("medieval exclamation mark, Po in 14.0").isEqualTo(PUNCTUATION);
        assertThat(CharClass.of(0x0898)).as("Arabic small high word al-juz, Mn in 14.0").isEqualTo(NONSPACING_MARK);
        assertThat(CharClass.of(0x1FAE8)).as("shaking face, unassigned until 15.0").isEqualTo(CONTROL);
    }

    @Test
    void agreesWithTheJvmExceptWhereUnicodeVersionsDiffer() {
        int unicode14Only = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            CharClass table = CharClass.of(cp);
            CharClass jvm = fromJava(cp);
            if (table == jvm || cp == 0x1734) { // U+1734 changed from Mn to Mc in Unicode 14.0
                continue;
            }
            boolean assignedLater = jvm == CONTROL && Character.getType(cp) == Character.UNASSIGNED;
            boolean assignedAfter14 = table == CONTROL;
            assertThat(assignedLater || assignedAfter14).as("U+%04X: table %s, JVM %s", cp, table, jvm).isTrue();
            unicode14Only += assignedLater ? 1 : 0;
        }
        assertThat(unicode14Only).as("code points assigned in Unicode 14.0 only").isLessThanOrEqualTo(838);
    }

    private static CharClass fromJava(int cp) {
        int type = Character.getType(cp);
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || type == Character.SPACE_SEPARATOR) {
            return WHITESPACE;
        }
        if (type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.SURROGATE || type == Character.UNASSIGNED) {
            return CONTROL;
        }
        boolean asciiPunct = (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96)
                || (cp >= 123 && cp <= 126);
        if (asciiPunct || switch (type) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        }) {
            return PUNCTUATION;
        }
        return type == Character.NON_SPACING_MARK ? NONSPACING_MARK : OTHER;
    }
}
