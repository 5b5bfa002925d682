package org.mafstream.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PythonWhitespaceTest {

    @Test
    void isExactlyPythonsIsspaceSet() {
        // The 29 code points for which Python 3.11's str.isspace() is true (written out from Python).
        List<Integer> expected = new ArrayList<>(List.of(0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F,
                0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000));
        for (int c = 0x2000; c <= 0x200A; c++) {
            expected.add(c);
        }
        List<Integer> actual = new ArrayList<>();
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            if (PythonWhitespace.isSpace(c)) {
                actual.add(c);
            }
        }
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected).hasSize(29);
    }

    @Test
    void isJavaWhitespacePlusNextLineAndTheNoBreakSpaces() {
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            boolean java = Character.isWhitespace(c) || c == 0x85 || c == 0xA0 || c == 0x2007 || c == 0x202F;
            assertThat(PythonWhitespace.isSpace(c)).as("U+%04X", c).isEqualTo(java);
        }
    }

    @Test
    void splitAndStripBehaveLikePython() {
        assertThat(PythonWhitespace.split("\u0085 a\u001Cb\u00A0\u00A0c ")).containsExactly("a", "b", "c");
        assertThat(PythonWhitespace.split(" \t ")).isEmpty();
        assertThat(PythonWhitespace.strip("\u00A0 [UNK]\u2028\r\n")).isEqualTo("[UNK]");
        assertThat(PythonWhitespace.strip("\u200Bx\u200B")).isEqualTo("\u200Bx\u200B");
    }
}
