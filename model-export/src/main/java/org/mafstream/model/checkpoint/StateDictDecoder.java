package org.mafstream.model.checkpoint;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns the unpickled state_dict ({@code data.pkl}, or a legacy file's object) into {@link TensorInfo}s, checking every field. */
final class StateDictDecoder {
    private final Path file;
    private final String source;

    /** @param source how messages name the pickle: {@code data.pkl}, or the legacy file's object pickle */
    StateDictDecoder(Path file, String source) {
        this.file = file;
        this.source = source;
    }

    /** @return key to tensor info, in pickle (= file) order */
    Map<String, TensorInfo> decode(Object root) throws CheckpointException {
        if (!(root instanceof Map<?, ?> dict)) {
            throw new CheckpointException(file, source + " holds a " + PickleValues.typeName(root)
                    + ", not a state_dict (a dict of tensors); save model.state_dict(), not the model");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : dict.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new CheckpointException(file, source + " is not a state_dict: key "
                        + PickleValues.describe(entry.getKey()) + " is not a string");
            }
            Object value = entry.getValue();
            if (value instanceof StateDictUnpickler.LegacyTensor old) {
                value = old.call();
                if (value == null) {
                    throw malformed(key, old.className() + "() was never given its state by BUILD");
                }
            }
            if (!(value instanceof TensorCall call)) {
                throw new CheckpointException(file, key, source + " is not a dict of tensors: the value is "
                        + PickleValues.describe(value));
            }
            tensors.put(key, toInfo(key, call.args()));
        }
        return tensors;
    }

    /** The module versions torch pickled as the state_dict's {@code _metadata}; empty when there are none. */
    static Map<String, Integer> moduleVersions(Object root) {
        return root instanceof StateDictUnpickler.PickledOrderedDict dict
                ? Collections.unmodifiableMap(new LinkedHashMap<>(dict.moduleVersions()))
                : Map.of();
    }

    private TensorInfo toInfo(String key, Object[] args) throws CheckpointException {
        if (args.length < 4) {
            throw malformed(key, "the _rebuild_tensor call has " + args.length + " arguments, expected at least 4");
        }
        if (!(args[0] instanceof StorageRef storage)) {
            throw malformed(key, "the storage argument is " + PickleValues.describe(args[0]));
        }
        long offset = toLong(key, "storage offset", args[1]);
        long[] shape = toLongs(key, "size", args[2]);
        long[] stride = toLongs(key, "stride", args[3]);
        if (shape.length != stride.length) {
            throw malformed(key, "size has " + shape.length + " dimensions but stride has " + stride.length);
        }
        long numel;
        try {
            numel = new TensorInfo(key, storage.dtype(), shape, stride, offset, storage.key()).numel();
        } catch (ArithmeticException e) {
            throw malformed(key, "the element count overflows a long");
        }
        StorageRef.View view = storage.view();
        if (view == null) {
            return new TensorInfo(key, storage.dtype(), shape, stride, offset, storage.key());
        }
        // A legacy tensor saved on a slice of its root storage counts its offset from the slice.
        try {
            if (numel > 0 && Math.addExact(offset, Float32Reader.span(shape, stride)) > view.size()) {
                throw malformed(key, "the tensor reaches past the end of its storage view " + view.key()
                        + " (" + view.size() + " elements from element " + view.offset() + " of storage " + storage.key() + ")");
            }
            return new TensorInfo(key, storage.dtype(), shape, stride, Math.addExact(view.offset(), offset), storage.key());
        } catch (ArithmeticException e) {
            throw malformed(key, "storage offset and strides overflow a long");
        }
    }

    private long[] toLongs(String key, String what, Object value) throws CheckpointException {
        if (!(value instanceof Object[] tuple)) {
            throw malformed(key, what + " is " + PickleValues.describe(value) + ", not a tuple");
        }
        long[] result = new long[tuple.length];
        for (int i = 0; i < tuple.length; i++) {
            result[i] = toLong(key, what, tuple[i]);
        }
        return result;
    }

    private long toLong(String key, String what, Object value) throws CheckpointException {
        // razorvine yields Integer, Long or BigInteger depending on the opcode's width.
        if (!(value instanceof Number n) || value instanceof Double || value instanceof Float) {
            throw malformed(key, what + " holds " + PickleValues.describe(value) + ", not an integer");
        }
        long v;
        try {
            v = n instanceof java.math.BigInteger big ? big.longValueExact() : n.longValue();
        } catch (ArithmeticException e) {
            throw malformed(key, what + " " + n + " does not fit a long");
        }
        if (v < 0) {
            throw malformed(key, what + " " + v + " is negative");
        }
        return v;
    }

    private CheckpointException malformed(String key, String detail) {
        return new CheckpointException(file, key, "malformed tensor in " + source + ": " + detail);
    }
}
