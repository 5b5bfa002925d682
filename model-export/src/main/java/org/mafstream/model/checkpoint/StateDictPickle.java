package org.mafstream.model.checkpoint;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The pickle of a state_dict as {@code torch.save} (protocol 2, CPython's C pickler) writes it,
 * opcode for opcode, so that with the memo on the bytes equal torch's own {@code data.pkl}:
 * <pre>
 *   OrderedDict() , SETITEMS of key: _rebuild_tensor_v2(persistent storage id, offset, size, stride,
 *                                                      False, OrderedDict())
 *   BUILD {'_metadata': OrderedDict(module prefix: {'version': v})}
 * </pre>
 * Items go in batches of 1000 per MARK ... SETITEMS, and a last batch of one item is a lone
 * SETITEM, as CPython's {@code batch_dict} does. Shared between {@link TorchCheckpointWriter} and
 * the tests' writers of odd and malformed files.
 */
final class StateDictPickle {
    /** CPython's {@code _BATCHSIZE}. */
    private static final int BATCH_SIZE = 1000;

    private StateDictPickle() {
    }

    /**
     * The OrderedDict of a state_dict, memoized as CPython does, with its {@code _metadata} set
     * by BUILD unless {@code moduleVersions} is null (torch &lt; 0.4 had none).
     *
     * @param value writes the value of one entry (a tensor rebuild call)
     */
    static <T> void orderedDict(PickleWriter p, List<T> entries, Function<T, String> keyOf,
                                BiConsumer<PickleWriter, T> value, Map<String, Integer> moduleVersions) {
        p.global("collections", "OrderedDict").op(PickleWriter.EMPTY_TUPLE).op(PickleWriter.REDUCE).put();
        setItems(p, entries, entry -> {
            p.string(keyOf.apply(entry)).put();
            value.accept(p, entry);
        });
        if (moduleVersions != null) {
            // state = self.__dict__ = {'_metadata': OrderedDict({prefix: {'version': v}})}
            p.op(PickleWriter.EMPTY_DICT).put().string("_metadata").put();
            p.global("collections", "OrderedDict").op(PickleWriter.EMPTY_TUPLE).op(PickleWriter.REDUCE).put();
            setItems(p, List.copyOf(moduleVersions.entrySet()), module -> {
                p.string(module.getKey()).put();
                p.op(PickleWriter.EMPTY_DICT).put().sharedString("version").integer(module.getValue()).op(PickleWriter.SETITEM);
            });
            p.op(PickleWriter.SETITEM).op(PickleWriter.BUILD);
        }
    }

    /**
     * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}:
     * what torch &gt;= 0.4 pickles for a tensor of a state_dict.
     *
     * @param storageId pushes the storage's persistent id (a tuple); BINPERSID follows
     */
    static void rebuildTensorV2(PickleWriter p, Consumer<PickleWriter> storageId, long offset, long[] shape, long[] stride) {
        p.global("torch._utils", "_rebuild_tensor_v2").op(PickleWriter.MARK);
        storageId.accept(p);
        p.op(PickleWriter.BINPERSID).integer(offset).tuple(shape).tuple(stride).op(PickleWriter.NEWFALSE);
        p.global("collections", "OrderedDict").op(PickleWriter.EMPTY_TUPLE).op(PickleWriter.REDUCE).put(); // backward hooks
        p.op(PickleWriter.TUPLE).put().op(PickleWriter.REDUCE).put();
    }

    /**
     * A zip archive's storage id {@code ('storage', torch.<storageClass>, key, location, numel)}. The
     * literal {@code 'storage'}, the class and the location tag are one object each in torch, the key
     * one object per storage: each is memoized once and fetched after.
     */
    static void zipStorageId(PickleWriter p, String storageClass, String key, String location, long numel) {
        p.op(PickleWriter.MARK).sharedString("storage").global("torch", storageClass)
                .sharedString(key).sharedString(location).integer(numel).op(PickleWriter.TUPLE).put();
    }

    private static <T> void setItems(PickleWriter p, List<T> items, Consumer<T> item) {
        for (int start = 0; start < items.size(); start += BATCH_SIZE) {
            List<T> batch = items.subList(start, Math.min(items.size(), start + BATCH_SIZE));
            if (batch.size() == 1) {
                item.accept(batch.get(0));
                p.op(PickleWriter.SETITEM);
            } else {
                p.op(PickleWriter.MARK);
                batch.forEach(item);
                p.op(PickleWriter.SETITEMS);
            }
        }
    }
}
