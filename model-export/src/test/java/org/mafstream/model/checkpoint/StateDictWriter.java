package org.mafstream.model.checkpoint;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only: the storages and tensors of one state_dict with known values, and the pickle of it
 * that both torch.save formats share. {@link TorchZipWriter} and {@link TorchLegacyWriter} write
 * it to a file, so one description yields the same state_dict in either format.
 *
 * <p>The pickle is main's {@link StateDictPickle} (what torch &gt;= 0.4 writes: an OrderedDict of
 * {@code _rebuild_tensor_v2} calls, then BUILD with {@code _metadata}), or one of the older
 * spellings below. Subclasses decide the persistent id of a storage and may switch to the
 * Python 2 / torch &lt; 0.4 spelling.
 */
abstract class StateDictWriter<W extends StateDictWriter<W>> {
    final Map<String, Storage> storages = new LinkedHashMap<>();
    final List<Tensor> tensors = new ArrayList<>();
    private boolean plainDict;
    private String wrapperKey;
    private String location = "cpu";

    record Storage(String storageClass, long numel, byte[] bytes) {
    }

    record Tensor(String name, String storageKey, long offset, long[] shape, long[] stride) {
    }

    abstract W self();

    W floatStorage(String key, float... values) {
        ByteBuffer b = littleEndian(values.length * 4);
        for (float v : values) {
            b.putFloat(v);
        }
        return storage(key, "FloatStorage", values.length, b.array());
    }

    W doubleStorage(String key, double... values) {
        ByteBuffer b = littleEndian(values.length * 8);
        for (double v : values) {
            b.putDouble(v);
        }
        return storage(key, "DoubleStorage", values.length, b.array());
    }

    W longStorage(String key, long... values) {
        ByteBuffer b = littleEndian(values.length * 8);
        for (long v : values) {
            b.putLong(v);
        }
        return storage(key, "LongStorage", values.length, b.array());
    }

    /** float16 storage from raw IEEE half bit patterns. */
    W halfStorage(String key, short... bits) {
        ByteBuffer b = littleEndian(bits.length * 2);
        for (short v : bits) {
            b.putShort(v);
        }
        return storage(key, "HalfStorage", bits.length, b.array());
    }

    /** Any storage class and bytes, e.g. fewer bytes than {@code numel} promises. */
    W storage(String key, String storageClass, long numel, byte[] bytes) {
        storages.put(key, new Storage(storageClass, numel, bytes.clone()));
        return self();
    }

    W tensor(String name, String storageKey, long offset, long[] shape, long[] stride) {
        tensors.add(new Tensor(name, storageKey, offset, shape.clone(), stride.clone()));
        return self();
    }

    /** A row-major tensor of the given shape starting at {@code offset}. */
    W contiguous(String name, String storageKey, long offset, long... shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= shape[d];
        }
        return tensor(name, storageKey, offset, shape, stride);
    }

    /** The root is a plain dict (EMPTY_DICT) instead of an OrderedDict. */
    W plainDict() {
        this.plainDict = true;
        return self();
    }

    /** The state_dict is saved inside a dict, {@code {key: state_dict}}, as training scripts often do. */
    W wrappedIn(String key) {
        this.wrapperKey = key;
        return self();
    }

    /** The location tag of every storage ({@code cpu}, {@code cuda:0}). */
    W location(String tag) {
        this.location = tag;
        return self();
    }

    String location() {
        return location;
    }

    /** Python 2 pickles: str keys as SHORT_BINSTRING, OrderedDict from a list of [key, value] lists. */
    boolean isPython2() {
        return false;
    }

    /** How each torch version pickled a tensor. */
    enum TensorStyle {
        /** torch &gt;= 0.4: {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)}. */
        REBUILD_TENSOR_V2,
        /** torch 0.2 and 0.3: {@code _rebuild_tensor(storage, offset, size, stride)}. */
        REBUILD_TENSOR,
        /** torch &lt; 0.2: {@code torch.FloatTensor()} by REDUCE, then BUILD with (storage, offset, size, stride). */
        SETSTATE
    }

    /** Old styles also lack the {@code _metadata} of torch &gt;= 0.4. */
    TensorStyle tensorStyle() {
        return TensorStyle.REBUILD_TENSOR_V2;
    }

    /** Memoize as CPython does (BINPUT, and BINGET of repeated globals and literals). */
    boolean memoize() {
        return false;
    }

    /** Pushes the persistent id (a tuple) of the storage the tensor names; BINPERSID follows. */
    abstract void storageId(PickleWriter p, Tensor tensor);

    /** The state_dict object pickle: {@code data.pkl} of a zip, the fourth pickle of a legacy file. */
    byte[] pickle() {
        PickleWriter p = (isPython2() ? new Python2PickleWriter() : new PickleWriter()).memoize(memoize()).proto2();
        if (wrapperKey != null) {
            p.op(PickleWriter.EMPTY_DICT).string(wrapperKey);
        }
        if (plainDict) {
            p.op(PickleWriter.EMPTY_DICT).op(PickleWriter.MARK);
            for (Tensor t : tensors) {
                rebuild(p.string(t.name()), t);
            }
            p.op(PickleWriter.SETITEMS);
        } else if (isPython2()) {
            // Python 2's OrderedDict.__reduce__: (OrderedDict, ([[k, v], ...],))
            p.global("collections", "OrderedDict").op(PickleWriter.EMPTY_LIST).op(PickleWriter.MARK);
            for (Tensor t : tensors) {
                p.op(PickleWriter.EMPTY_LIST).op(PickleWriter.MARK).string(t.name());
                rebuild(p, t);
                p.op(PickleWriter.APPENDS);
            }
            p.op(PickleWriter.APPENDS).op(PickleWriter.TUPLE1).op(PickleWriter.REDUCE);
        } else {
            // torch >= 0.4 sets state_dict._metadata; here the root module's only
            StateDictPickle.orderedDict(p, tensors, Tensor::name, this::rebuild,
                    tensorStyle() == TensorStyle.REBUILD_TENSOR_V2 ? Map.of("", 1) : null);
        }
        if (wrapperKey != null) {
            p.op(PickleWriter.SETITEM);
        }
        return p.stop();
    }

    private void rebuild(PickleWriter p, Tensor t) {
        TensorStyle style = tensorStyle();
        if (style == TensorStyle.REBUILD_TENSOR_V2) {
            StateDictPickle.rebuildTensorV2(p, id -> storageId(id, t), t.offset(), t.shape(), t.stride());
            return;
        }
        if (style == TensorStyle.SETSTATE) {
            String tensorClass = storageClassOf(t).replace("Storage", "Tensor");
            p.global(location().startsWith("cuda") ? "torch.cuda" : "torch", tensorClass)
                    .op(PickleWriter.EMPTY_TUPLE).op(PickleWriter.REDUCE).op(PickleWriter.MARK);
            storageId(p, t);
            p.op(PickleWriter.BINPERSID).integer(t.offset()).tuple(t.shape()).tuple(t.stride());
            p.op(PickleWriter.TUPLE).op(PickleWriter.BUILD);
            return;
        }
        p.global("torch._utils", "_rebuild_tensor").op(PickleWriter.MARK);
        storageId(p, t);
        p.op(PickleWriter.BINPERSID).integer(t.offset()).tuple(t.shape()).tuple(t.stride());
        p.op(PickleWriter.TUPLE).op(PickleWriter.REDUCE);
    }

    /** The storage class of the storage a tensor names (subclasses may map view keys to root keys). */
    String storageClassOf(Tensor t) {
        return storages.get(t.storageKey()).storageClass();
    }

    static ByteBuffer littleEndian(int size) {
        return PickleWriter.littleEndian(size);
    }
}
