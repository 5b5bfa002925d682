package org.mafstream.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.ClassDict;

/**
 * razorvine's unpickler taught the few torch globals a state_dict's {@code data.pkl} uses.
 * Tensors become {@link TensorCall}s and storages {@link StorageRef}s: nothing here reads data.
 */
final class StateDictUnpickler extends Unpickler {

    static {
        // razorvine keeps constructors in one static, JVM-wide map: register once, here.
        registerConstructor("collections", "OrderedDict", StateDictUnpickler::orderedDict);
        registerConstructor("torch._utils", "_rebuild_tensor_v2", TensorCall::new);
        StorageTypes.DTYPE_BY_CLASS.forEach((name, dtype) ->
                registerConstructor("torch", name, new StorageClass("torch." + name, dtype)));
    }

    static Object unpickle(InputStream in) throws IOException {
        StateDictUnpickler unpickler = new StateDictUnpickler();
        try {
            return unpickler.load(in);
        } finally {
            unpickler.close();
        }
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
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])) {
            throw new PickleException("unsupported persistent id " + PickleValues.describe(pid)
                    + " (expected ('storage', <storage class>, key, location, numel))");
        }
        if (!(t[2] instanceof String key) || !(t[4] instanceof Number numel)) {
            throw new PickleException("malformed storage persistent id " + PickleValues.describe(pid));
        }
        return new StorageRef(key, dtypeOf(t[1]), String.valueOf(t[3]), numel.longValue());
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
        // OrderedDict(iterable_of_pairs): protocol 2 normally sends () and SETITEMS instead.
        if (args.length == 1 && args[0] instanceof List<?> pairs) {
            for (Object pair : pairs) {
                if (pair instanceof Object[] kv && kv.length == 2) {
                    dict.put(kv[0], kv[1]);
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
     * {@code collections.OrderedDict}. Public with a public {@code __setstate__}, because
     * razorvine's BUILD finds that method by reflection with the exact class of the state.
     */
    public static final class PickledOrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;

        /** torch sets {@code _metadata} (per-module versions) here; loading needs none of it. */
        public void __setstate__(LinkedHashMap<?, ?> state) {
            // ignored on purpose
        }
    }
}
