package org.mafstream.model.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test-only writer of the torch.save zip format, so tests can use known values. It writes the
 * same protocol-2 opcodes torch does (without the memo, which the reader does not need): an
 * OrderedDict built by REDUCE, filled by SETITEMS with {@code _rebuild_tensor_v2} calls whose
 * storages are BINPERSID tuples, then BUILD with {@code _metadata}. Entries are STORED.
 */
final class TorchZipWriter {
    private final String stem;
    private final Map<String, Storage> storages = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final Map<String, byte[]> extraEntries = new LinkedHashMap<>();
    private boolean plainDict;
    private byte[] dataPklOverride;

    private record Storage(String storageClass, long numel, byte[] bytes) {
    }

    private record Tensor(String name, String storageKey, long offset, long[] shape, long[] stride) {
    }

    TorchZipWriter(String stem) {
        this.stem = stem;
    }

    TorchZipWriter floatStorage(String key, float... values) {
        ByteBuffer b = littleEndian(values.length * 4);
        for (float v : values) {
            b.putFloat(v);
        }
        return storage(key, "FloatStorage", values.length, b.array());
    }

    TorchZipWriter doubleStorage(String key, double... values) {
        ByteBuffer b = littleEndian(values.length * 8);
        for (double v : values) {
            b.putDouble(v);
        }
        return storage(key, "DoubleStorage", values.length, b.array());
    }

    TorchZipWriter longStorage(String key, long... values) {
        ByteBuffer b = littleEndian(values.length * 8);
        for (long v : values) {
            b.putLong(v);
        }
        return storage(key, "LongStorage", values.length, b.array());
    }

    /** Any storage class and bytes, e.g. fewer bytes than {@code numel} promises. */
    TorchZipWriter storage(String key, String storageClass, long numel, byte[] bytes) {
        storages.put(key, new Storage(storageClass, numel, bytes));
        return this;
    }

    TorchZipWriter tensor(String name, String storageKey, long offset, long[] shape, long[] stride) {
        tensors.add(new Tensor(name, storageKey, offset, shape.clone(), stride.clone()));
        return this;
    }

    /** A row-major tensor of the given shape starting at {@code offset}. */
    TorchZipWriter contiguous(String name, String storageKey, long offset, long... shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= shape[d];
        }
        return tensor(name, storageKey, offset, shape, stride);
    }

    /** The root is a plain dict (EMPTY_DICT) instead of an OrderedDict. */
    TorchZipWriter plainDict() {
        this.plainDict = true;
        return this;
    }

    /** Replaces the generated data.pkl. */
    TorchZipWriter dataPkl(byte[] pickle) {
        this.dataPklOverride = pickle.clone();
        return this;
    }

    /** An additional entry under the stem, e.g. {@code byteorder}. */
    TorchZipWriter entry(String nameUnderStem, byte[] bytes) {
        extraEntries.put(nameUnderStem, bytes.clone());
        return this;
    }

    Path write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            putStored(zip, stem + "/data.pkl", dataPklOverride != null ? dataPklOverride : pickle());
            for (Map.Entry<String, Storage> s : storages.entrySet()) {
                putStored(zip, stem + "/data/" + s.getKey(), s.getValue().bytes());
            }
            for (Map.Entry<String, byte[]> e : extraEntries.entrySet()) {
                putStored(zip, stem + "/" + e.getKey(), e.getValue());
            }
            putStored(zip, stem + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    byte[] pickle() {
        Pickle p = new Pickle();
        p.proto2();
        if (plainDict) {
            p.op(Pickle.EMPTY_DICT);
        } else {
            p.global("collections", "OrderedDict").op(Pickle.EMPTY_TUPLE).op(Pickle.REDUCE);
        }
        p.op(Pickle.MARK);
        for (Tensor t : tensors) {
            Storage s = storages.get(t.storageKey());
            p.unicode(t.name());
            p.global("torch._utils", "_rebuild_tensor_v2").op(Pickle.MARK);
            p.op(Pickle.MARK).unicode("storage").global("torch", s.storageClass())
                    .unicode(t.storageKey()).unicode("cpu").integer(s.numel()).op(Pickle.TUPLE).op(Pickle.BINPERSID);
            p.integer(t.offset()).tuple(t.shape()).tuple(t.stride());
            p.op(Pickle.NEWFALSE);
            p.global("collections", "OrderedDict").op(Pickle.EMPTY_TUPLE).op(Pickle.REDUCE); // backward hooks
            p.op(Pickle.TUPLE).op(Pickle.REDUCE);
        }
        p.op(Pickle.SETITEMS);
        if (!plainDict) {
            // torch: state_dict._metadata = OrderedDict({'': {'version': 1}}), set through BUILD
            p.op(Pickle.EMPTY_DICT).unicode("_metadata");
            p.global("collections", "OrderedDict").op(Pickle.EMPTY_TUPLE).op(Pickle.REDUCE);
            p.unicode("").op(Pickle.EMPTY_DICT).unicode("version").integer(1).op(Pickle.SETITEM).op(Pickle.SETITEM);
            p.op(Pickle.SETITEM).op(Pickle.BUILD);
        }
        return p.stop();
    }

    private static void putStored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static ByteBuffer littleEndian(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Protocol-2 pickle opcodes, written by hand. */
    static final class Pickle {
        static final int MARK = '(';
        static final int STOP = '.';
        static final int TUPLE = 't';
        static final int EMPTY_TUPLE = ')';
        static final int REDUCE = 'R';
        static final int BINPERSID = 'Q';
        static final int EMPTY_DICT = '}';
        static final int EMPTY_LIST = ']';
        static final int SETITEM = 's';
        static final int SETITEMS = 'u';
        static final int BUILD = 'b';
        static final int NEWFALSE = 0x89;

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle proto2() {
            out.write(0x80);
            out.write(2);
            return this;
        }

        Pickle op(int opcode) {
            out.write(opcode);
            return this;
        }

        Pickle global(String module, String name) {
            out.write('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle unicode(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            out.writeBytes(littleEndian(4).putInt(utf8.length).array());
            out.writeBytes(utf8);
            return this;
        }

        /** BININT1 / BININT2 / BININT, the narrowest that fits, like Python's pickler. */
        Pickle integer(long v) {
            if (v >= 0 && v < 0x100) {
                out.write('K');
                out.write((int) v);
            } else if (v >= 0 && v < 0x10000) {
                out.write('M');
                out.writeBytes(littleEndian(2).putShort((short) v).array());
            } else {
                out.write('J');
                out.writeBytes(littleEndian(4).putInt(Math.toIntExact(v)).array());
            }
            return this;
        }

        Pickle tuple(long[] values) {
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
}
