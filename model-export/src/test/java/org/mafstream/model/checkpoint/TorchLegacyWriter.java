package org.mafstream.model.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only writer of the legacy torch.save format (torch &lt; 1.6), written from its description:
 * five protocol-2 pickles back to back (the magic number 0x1950a86a20f9469cfc6c as LONG1, the
 * protocol version 1001, the sys_info dict, the state_dict, the sorted list of storage keys),
 * then per key a little-endian int64 element count and the raw little-endian elements.
 *
 * <p>Storages are persistent ids {@code ('storage', torch.<class>, root_key, location, numel,
 * view_metadata)}; view_metadata is None unless the tensor's storage was declared a {@link #view}.
 * Every knob below breaks or varies one part of the format for the error tests.
 */
final class TorchLegacyWriter extends StateDictWriter<TorchLegacyWriter> {
    static final BigInteger MAGIC_NUMBER = new BigInteger("1950a86a20f9469cfc6c", 16);

    private static final Map<String, Integer> ELEMENT_BYTES = Map.of(
            "FloatStorage", 4, "DoubleStorage", 8, "HalfStorage", 2, "BFloat16Storage", 2,
            "LongStorage", 8, "IntStorage", 4, "ShortStorage", 2,
            "CharStorage", 1, "ByteStorage", 1, "BoolStorage", 1);

    private record View(String rootKey, long offset, long size) {
    }

    private final Map<String, View> views = new HashMap<>();
    private final Map<String, Long> countOverrides = new HashMap<>();
    private BigInteger magic = MAGIC_NUMBER;
    private byte[] firstPickleOverride;
    private byte[] objectPickleOverride;
    private long protocolVersion = 1001;
    private boolean littleEndian = true;
    private List<String> storageKeys;
    private boolean python2;
    private TensorStyle tensorStyle = TensorStyle.REBUILD_TENSOR_V2;

    @Override
    TorchLegacyWriter self() {
        return this;
    }

    TorchLegacyWriter magicNumber(BigInteger value) {
        this.magic = value;
        return this;
    }

    /** The first pickle, instead of the magic number. */
    TorchLegacyWriter firstPickle(byte[] pickle) {
        this.firstPickleOverride = pickle.clone();
        return this;
    }

    /** The fourth pickle, instead of the state_dict. */
    TorchLegacyWriter objectPickle(byte[] pickle) {
        this.objectPickleOverride = pickle.clone();
        return this;
    }

    TorchLegacyWriter protocolVersion(long version) {
        this.protocolVersion = version;
        return this;
    }

    TorchLegacyWriter bigEndian() {
        this.littleEndian = false;
        return this;
    }

    /** The list of storage keys, and so the order of the data section; by default torch's sorted keys. */
    TorchLegacyWriter storageKeys(String... keys) {
        this.storageKeys = List.of(keys);
        return this;
    }

    /** The element count written before the storage's data, instead of its byte length / element size. */
    TorchLegacyWriter elementCount(String storageKey, long count) {
        countOverrides.put(storageKey, count);
        return this;
    }

    /**
     * Tensors naming {@code viewKey} were saved on elements {@code offset .. offset+size} of the
     * root storage {@code rootKey} (torch &lt; 1.0 could save such storage views).
     */
    TorchLegacyWriter view(String viewKey, String rootKey, long offset, long size) {
        views.put(viewKey, new View(rootKey, offset, size));
        return this;
    }

    /** As Python 2 pickled: str strings, OrderedDict from a list of [key, value] lists. */
    TorchLegacyWriter python2() {
        this.python2 = true;
        return this;
    }

    /** As torch 0.2 and 0.3 pickled tensors: {@code _rebuild_tensor(storage, offset, size, stride)}. */
    TorchLegacyWriter oldRebuild() {
        this.tensorStyle = TensorStyle.REBUILD_TENSOR;
        return this;
    }

    /** As torch &lt; 0.2 pickled tensors: {@code torch.FloatTensor()}, then BUILD with its state. */
    TorchLegacyWriter setstateTensors() {
        this.tensorStyle = TensorStyle.SETSTATE;
        return this;
    }

    @Override
    boolean isPython2() {
        return python2;
    }

    @Override
    TensorStyle tensorStyle() {
        return tensorStyle;
    }

    @Override
    String storageClassOf(Tensor t) {
        View view = views.get(t.storageKey());
        return storages.get(view == null ? t.storageKey() : view.rootKey()).storageClass();
    }

    @Override
    boolean memoize() {
        return true;
    }

    @Override
    void storageId(PickleWriter p, Tensor t) {
        View view = views.get(t.storageKey());
        String rootKey = view == null ? t.storageKey() : view.rootKey();
        Storage s = storages.get(rootKey);
        // plain strings, not memoized: LegacyCheckpointErrorsTest patches the bytes of a persistent id
        p.op(PickleWriter.MARK).string("storage").global("torch", s.storageClass())
                .string(rootKey).string(location()).integer(s.numel());
        if (view == null) {
            p.op(PickleWriter.NONE);
        } else {
            p.op(PickleWriter.MARK).string(t.storageKey()).integer(view.offset()).integer(view.size()).op(PickleWriter.TUPLE);
        }
        p.op(PickleWriter.TUPLE).put();
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(firstPickleOverride != null ? firstPickleOverride
                : pickler().proto2().longInteger(magic).stop());
        out.writeBytes(pickler().proto2().integer(protocolVersion).stop());
        out.writeBytes(sysInfo());
        out.writeBytes(objectPickleOverride != null ? objectPickleOverride : pickle());
        List<String> keys = storageKeys != null ? storageKeys : new ArrayList<>(new java.util.TreeSet<>(storages.keySet()));
        PickleWriter list = pickler().proto2().op(PickleWriter.EMPTY_LIST);
        if (!keys.isEmpty()) {
            list.op(PickleWriter.MARK);
            keys.forEach(list::string);
            list.op(PickleWriter.APPENDS);
        }
        out.writeBytes(list.stop());
        for (String key : keys) {
            Storage s = storages.get(key);
            Integer size = ELEMENT_BYTES.get(s.storageClass());
            long count = countOverrides.getOrDefault(key, size == null ? s.numel() : s.bytes().length / size);
            out.writeBytes(littleEndian(8).putLong(count).array());
            out.writeBytes(s.bytes());
        }
        return out.toByteArray();
    }

    Path write(Path file) throws IOException {
        return Files.write(file, bytes());
    }

    private PickleWriter pickler() {
        return python2 ? new Python2PickleWriter() : new PickleWriter();
    }

    // {'protocol_version': 1001, 'little_endian': True, 'type_sizes': {'short': 2, 'int': 4, 'long': 8}}
    private byte[] sysInfo() {
        return pickler().proto2().op(PickleWriter.EMPTY_DICT).op(PickleWriter.MARK)
                .string("protocol_version").integer(protocolVersion)
                .string("little_endian").bool(littleEndian)
                .string("type_sizes").op(PickleWriter.EMPTY_DICT).op(PickleWriter.MARK)
                .string("short").integer(2).string("int").integer(4).string("long").integer(8)
                .op(PickleWriter.SETITEMS)
                .op(PickleWriter.SETITEMS).stop();
    }
}
