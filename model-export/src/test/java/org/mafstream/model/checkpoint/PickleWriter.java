package org.mafstream.model.checkpoint;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Test-only: protocol-2 pickles written opcode by opcode, as CPython's pickler spells them. With
 * {@link #memoizeGlobals} each global is memoized (BINPUT) on first use and fetched (BINGET)
 * after, as in real torch files; with {@link #python2} strings are Python 2 {@code str}s.
 */
final class PickleWriter {
    static final int MARK = '(';
    static final int STOP = '.';
    static final int TUPLE = 't';
    static final int TUPLE1 = 0x85;
    static final int EMPTY_TUPLE = ')';
    static final int REDUCE = 'R';
    static final int BINPERSID = 'Q';
    static final int EMPTY_DICT = '}';
    static final int EMPTY_LIST = ']';
    static final int APPENDS = 'e';
    static final int SETITEM = 's';
    static final int SETITEMS = 'u';
    static final int BUILD = 'b';
    static final int NONE = 'N';
    static final int NEWTRUE = 0x88;
    static final int NEWFALSE = 0x89;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Integer> memo = new HashMap<>();
    private boolean memoizeGlobals;
    private boolean python2;

    PickleWriter proto2() {
        out.write(0x80);
        out.write(2);
        return this;
    }

    PickleWriter memoizeGlobals(boolean on) {
        this.memoizeGlobals = on;
        return this;
    }

    PickleWriter python2(boolean on) {
        this.python2 = on;
        return this;
    }

    PickleWriter op(int opcode) {
        out.write(opcode);
        return this;
    }

    PickleWriter global(String module, String name) {
        String qualified = module + "\n" + name + "\n";
        Integer slot = memo.get(qualified);
        if (memoizeGlobals && slot != null) {
            out.write('h'); // BINGET
            out.write(slot);
            return this;
        }
        out.write('c');
        out.writeBytes(qualified.getBytes(StandardCharsets.US_ASCII));
        if (memoizeGlobals && memo.size() < 256) {
            memo.put(qualified, memo.size());
            out.write('q'); // BINPUT
            out.write(memo.get(qualified));
        }
        return this;
    }

    /** A Python 3 str (BINUNICODE), or a Python 2 str (SHORT_BINSTRING) in {@link #python2} mode. */
    PickleWriter string(String s) {
        byte[] bytes = s.getBytes(python2 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        if (python2 && bytes.length < 256) {
            out.write('U');
            out.write(bytes.length);
        } else {
            out.write('X');
            out.writeBytes(StateDictWriter.littleEndian(4).putInt(bytes.length).array());
        }
        out.writeBytes(bytes);
        return this;
    }

    /** BININT1 / BININT2 / BININT, the narrowest that fits, like Python's pickler; LONG1 beyond. */
    PickleWriter integer(long v) {
        if (v >= 0 && v < 0x100) {
            out.write('K');
            out.write((int) v);
        } else if (v >= 0 && v < 0x10000) {
            out.write('M');
            out.writeBytes(StateDictWriter.littleEndian(2).putShort((short) v).array());
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write('J');
            out.writeBytes(StateDictWriter.littleEndian(4).putInt((int) v).array());
        } else {
            longInteger(BigInteger.valueOf(v));
        }
        return this;
    }

    /** LONG1: length byte, then the little-endian two's complement bytes, the fewest that hold the sign. */
    PickleWriter longInteger(BigInteger v) {
        byte[] bigEndian = v.signum() == 0 ? new byte[0] : v.toByteArray();
        out.write(0x8a);
        out.write(bigEndian.length);
        for (int i = bigEndian.length - 1; i >= 0; i--) {
            out.write(bigEndian[i]);
        }
        return this;
    }

    PickleWriter bool(boolean b) {
        return op(b ? NEWTRUE : NEWFALSE);
    }

    PickleWriter tuple(long[] values) {
        op(MARK);
        for (long v : values) {
            integer(v);
        }
        return op(TUPLE);
    }

    byte[] stop() {
        out.write(STOP);
        return out.toByteArray();
    }
}
