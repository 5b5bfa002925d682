package org.mafstream.model.checkpoint;

import java.util.Arrays;

/** Short, readable renderings of unpickled values for error messages. */
final class PickleValues {
    private static final int MAX_LENGTH = 120;

    private PickleValues() {
    }

    static String describe(Object value) {
        String text = value instanceof Object[] tuple ? Arrays.deepToString(tuple) : String.valueOf(value);
        if (text.length() > MAX_LENGTH) {
            text = text.substring(0, MAX_LENGTH) + "...";
        }
        return value == null ? "None" : typeName(value) + " " + text;
    }

    static String typeName(Object value) {
        if (value == null) {
            return "None";
        }
        return value instanceof Object[] ? "tuple" : value.getClass().getSimpleName();
    }
}
