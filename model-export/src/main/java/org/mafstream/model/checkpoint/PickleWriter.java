package org.mafstream.model.checkpoint;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Protocol-2 pickles written opcode by opcode, spelled as CPython's pickler spells them (narrowest
 * integer opcode, {@code TUPLE1..3} for short tuples, {@code BINPUT} up to slot 255 and
 * {@code LONG_BINPUT} after). Only small pickles are built here (a state_dict's description, not
 * its data), so they are kept in memory.
 *
 * <p>With {@link #memoize} on, {@link #put()} memoizes the object just written, as CPython does for
 * every string, tuple, dict and call result; {@link #global} and {@link #sharedString} write an
 * object the first time and fetch it from the memo after, as CPython does for one object pickled
 * twice (a class, an interned literal such as {@code 'storage'}). Off, the pickle has no memo at all,
 * which unpicklers do not need.
 */
class PickleWriter {
    static final int MARK = '(';
    static final int STOP = '.';
    static final int TUPLE = 't';
    static final int TUPLE1 = 0x85;
    static final int TUPLE2 = 0x86;
    static final int TUPLE3 = 0x87;
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
    private static final int BINPUT = 'q';
    private static final int LONG_BINPUT = 'r';
    private static final int BINGET = 'h';
    private static final int LONG_BINGET = 'j';

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** Slots of the objects {@link #global} and {@link #sharedString} wrote, by what they are. */
    private final Map<String, Integer> shared = new HashMap<>();
    private boolean memoize;
    private int memoSize;

    PickleWriter proto2() {
        out.write(0x80);
        out.write(2);
        return this;
    }

    PickleWriter memoize(boolean on) {
        this.memoize = on;
        return this;
    }

    PickleWriter op(int opcode) {
        out.write(opcode);
        return this;
    }

    /** Memoizes the object just written in the next memo slot (nothing when the memo is off). */
    PickleWriter put() {
        if (memoize) {
            writeSlot(BINPUT, LONG_BINPUT, memoSize++);
        }
        return this;
    }

    /** GLOBAL {@code module name}; memoized on first use, fetched after. */
    PickleWriter global(String module, String name) {
        String qualified = module + "\n" + name + "\n";
        if (!fetched("global " + qualified)) {
            out.write('c');
            out.writeBytes(qualified.getBytes(StandardCharsets.US_ASCII));
            remember("global " + qualified);
        }
        return this;
    }

    /** A Python 3 str (BINUNICODE). Not memoized: follow with {@link #put()} to do as CPython does. */
    PickleWriter string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        out.writeBytes(littleEndian(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
        return this;
    }

    /** A string that is one Python object wherever it appears: written and memoized once, fetched after. */
    PickleWriter sharedString(String s) {
        if (!fetched("str " + s)) {
            string(s);
            remember("str " + s);
        }
        return this;
    }

    /** BININT1 / BININT2 / BININT, the narrowest that fits, like Python's pickler; LONG1 beyond. */
    PickleWriter integer(long v) {
        if (v >= 0 && v < 0x100) {
            out.write('K');
            out.write((int) v);
        } else if (v >= 0 && v < 0x10000) {
            out.write('M');
            out.writeBytes(littleEndian(2).putShort((short) v).array());
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write('J');
            out.writeBytes(littleEndian(4).putInt((int) v).array());
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

    /** A tuple of ints as CPython writes it: EMPTY_TUPLE (never memoized), TUPLE1..3, or MARK ... TUPLE; then {@link #put()}. */
    PickleWriter tuple(long[] values) {
        if (values.length == 0) {
            return op(EMPTY_TUPLE);
        }
        if (values.length > 3) {
            op(MARK);
        }
        for (long v : values) {
            integer(v);
        }
        return op(switch (values.length) {
            case 1 -> TUPLE1;
            case 2 -> TUPLE2;
            case 3 -> TUPLE3;
            default -> TUPLE;
        }).put();
    }

    byte[] stop() {
        out.write(STOP);
        return out.toByteArray();
    }

    private boolean fetched(String what) {
        Integer slot = memoize ? shared.get(what) : null;
        if (slot != null) {
            writeSlot(BINGET, LONG_BINGET, slot);
        }
        return slot != null;
    }

    private void remember(String what) {
        if (memoize) {
            shared.put(what, memoSize);
            put();
        }
    }

    private void writeSlot(int shortOpcode, int longOpcode, int slot) {
        if (slot < 0x100) {
            out.write(shortOpcode);
            out.write(slot);
        } else {
            out.write(longOpcode);
            out.writeBytes(littleEndian(4).putInt(slot).array());
        }
    }

    static ByteBuffer littleEndian(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
