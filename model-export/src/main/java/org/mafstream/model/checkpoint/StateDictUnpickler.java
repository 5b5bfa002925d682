package org.mafstream.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.ClassDict;

/**
 * razorvine's unpickler taught the few torch globals a state_dict's pickle uses, in a zip's
 * {@code data.pkl} or in a legacy file. Tensors become {@link TensorCall}s and storages
 * {@link StorageRef}s: nothing here reads data.
 */
final class StateDictUnpickler extends Unpickler {

    static {
        // razorvine keeps constructors in one static, JVM-wide map: register once, here.
        registerConstructor("collections", "OrderedDict", StateDictUnpickler::orderedDict);
        registerConstructor("torch._utils", "_rebuild_tensor_v2", TensorCall::new);
        // torch < 0.4 (legacy files only): _rebuild_tensor(storage, storage_offset, size, stride)
        registerConstructor("torch._utils", "_rebuild_tensor", TensorCall::new);
        StorageTypes.DTYPE_BY_CLASS.forEach((name, dtype) ->
                registerConstructor("torch", name, new StorageClass("torch." + name, dtype)));
        // torch < 0.2 (legacy files only): torch.FloatTensor(), then BUILD with its state
        for (String storage : StorageTypes.DTYPE_BY_CLASS.keySet()) {
            String tensor = storage.replace("Storage", "Tensor");
            for (String module : new String[] {"torch", "torch.cuda"}) {
                registerConstructor(module, tensor, args -> LegacyTensor.construct(module + "." + tensor, args));
            }
        }
    }

    private final List<StorageRef> storages = new ArrayList<>();

    static Object unpickle(InputStream in) throws IOException {
        StateDictUnpickler unpickler = new StateDictUnpickler();
        try {
            return unpickler.load(in);
        } finally {
            unpickler.close();
        }
    }

    /** Every storage persistent id met so far, in pickle order, repeats included. */
    List<StorageRef> storages() {
        return List.copyOf(storages);
    }

    @Override
    protected Object dispatch(short opcode) throws IOException {
        switch (opcode) {
            case Opcodes.EMPTY_DICT -> {
                // razorvine pushes a HashMap; a Python dict keeps insertion order, so must we.
                stack.add(new LinkedHashMap<>());
                return NO_RETURN_VALUE;
            }
            case Opcodes.SETITEMS -> {
                setItemsInOrder();
                return NO_RETURN_VALUE;
            }
            default -> {
                return super.dispatch(opcode);
            }
        }
    }

    // razorvine's SETITEMS collects the pairs in a temporary HashMap before putAll, which
    // scrambles the state_dict order (torch writes up to 1000 entries per SETITEMS).
    @SuppressWarnings("unchecked")
    private void setItemsInOrder() {
        List<Object> keysAndValues = stack.pop_all_since_marker();
        Map<Object, Object> target = (Map<Object, Object>) stack.peek();
        for (int i = 0; i + 1 < keysAndValues.size(); i += 2) {
            target.put(keysAndValues.get(i), keysAndValues.get(i + 1));
        }
    }

    @Override
    protected Object persistentLoad(Object pid) {
        // zip: ('storage', class, key, location, numel); legacy: the same plus view_metadata
        if (!(pid instanceof Object[] t) || t.length < 5 || t.length > 6 || !"storage".equals(t[0])) {
            throw new PickleException("unsupported persistent id " + PickleValues.describe(pid)
                    + " (expected ('storage', <storage class>, key, location, numel[, view_metadata]))");
        }
        if (!(t[2] instanceof String key) || !isInteger(t[4])) {
            throw new PickleException("malformed storage persistent id " + PickleValues.describe(pid));
        }
        StorageRef.View view = t.length == 6 ? viewOf(pid, t[5]) : null;
        StorageRef ref = new StorageRef(key, dtypeOf(t[1]), String.valueOf(t[3]), ((Number) t[4]).longValue(), view);
        storages.add(ref);
        return ref;
    }

    // view_metadata: None, or (view_key, offset, view_size) in elements of the root storage
    private static StorageRef.View viewOf(Object pid, Object metadata) {
        if (metadata == null) {
            return null;
        }
        if (metadata instanceof Object[] v && v.length == 3 && v[0] instanceof String viewKey
                && isInteger(v[1]) && isInteger(v[2])
                && ((Number) v[1]).longValue() >= 0 && ((Number) v[2]).longValue() >= 0) {
            return new StorageRef.View(viewKey, ((Number) v[1]).longValue(), ((Number) v[2]).longValue());
        }
        throw new PickleException("malformed view metadata in storage persistent id " + PickleValues.describe(pid)
                + " (expected None or (view_key, offset, size))");
    }

    private static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long
                || value instanceof java.math.BigInteger big && big.bitLength() < Long.SIZE;
    }

    private static String dtypeOf(Object storageClass) {
        if (storageClass instanceof StorageClass known) {
            return known.dtype();
        }
        // An unregistered global arrives as razorvine's ClassDictConstructor; building an empty
        // ClassDict is the only public way to learn its name. Such tensors keep their info but
        // cannot be read.
        if (storageClass instanceof IObjectConstructor unknown
                && unknown.construct(new Object[0]) instanceof ClassDict dict) {
            return "unknown(" + dict.getClassName() + ")";
        }
        throw new PickleException("storage persistent id names " + PickleValues.describe(storageClass)
                + ", not a torch storage class");
    }

    private static Object orderedDict(Object[] args) {
        PickledOrderedDict dict = new PickledOrderedDict();
        // OrderedDict(iterable_of_pairs): Python 3 sends () and SETITEMS instead, Python 2's
        // OrderedDict.__reduce__ sends ([[key, value], ...],): pairs as lists, not tuples.
        if (args.length == 1 && args[0] instanceof List<?> pairs) {
            for (Object pair : pairs) {
                if (pair instanceof Object[] kv && kv.length == 2) {
                    dict.put(kv[0], kv[1]);
                } else if (pair instanceof List<?> kv && kv.size() == 2) {
                    dict.put(kv.get(0), kv.get(1));
                } else {
                    throw new PickleException("OrderedDict item " + PickleValues.describe(pair)
                            + " is not a (key, value) pair");
                }
            }
        }
        return dict;
    }

    /** A storage class is only ever named in a persistent id, never called. */
    record StorageClass(String name, String dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException(name + " is only expected inside a storage persistent id");
        }
    }

    /**
     * A tensor as torch &lt; 0.2 pickled it: {@code torch.FloatTensor()} (REDUCE with no arguments),
     * then BUILD with the state {@code (storage, storage_offset, size, stride)}. Public with a
     * public {@code __setstate__(Object[])}, for razorvine's BUILD (see {@link PickledOrderedDict}).
     */
    public static final class LegacyTensor {
        private final String className;
        private Object[] state;

        private LegacyTensor(String className) {
            this.className = className;
        }

        static LegacyTensor construct(String className, Object[] args) {
            if (args.length != 0) {
                throw new PickleException(className + " called with arguments " + PickleValues.describe(args)
                        + "; only the legacy form " + className + "() with a BUILD state is supported");
            }
            return new LegacyTensor(className);
        }

        public void __setstate__(Object[] state) {
            this.state = state.clone();
        }

        String className() {
            return className;
        }

        /** The state as the arguments of a rebuild call; null if BUILD never gave one. */
        TensorCall call() {
            return state == null ? null : new TensorCall(state);
        }
    }

    /**
     * {@code collections.OrderedDict}. Public with a public {@code __setstate__}, because
     * razorvine's BUILD finds that method by reflection with the exact class of the state.
     */
    public static final class PickledOrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;

        private final transient Map<String, Integer> moduleVersions = new LinkedHashMap<>();

        /**
         * torch sets {@code _metadata} here: module prefix to {@code {'version': v}}. Reading needs
         * none of it; the versions are kept so a checkpoint can be re-written with them. Entries of
         * another form are skipped.
         */
        public void __setstate__(LinkedHashMap<?, ?> state) {
            if (state.get("_metadata") instanceof Map<?, ?> metadata) {
                metadata.forEach((prefix, local) -> {
                    if (prefix instanceof String p && local instanceof Map<?, ?> m && m.get("version") instanceof Integer v) {
                        moduleVersions.put(p, v);
                    }
                });
            }
        }

        /** The module versions of {@code _metadata}, in file order; empty when there was none. */
        Map<String, Integer> moduleVersions() {
            return moduleVersions;
        }
    }
}
