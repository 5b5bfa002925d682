package org.mafstream.model.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * One state_dict entry as described by the pickle: no data, only where the data lives.
 *
 * @param key           state_dict key
 * @param dtype         torch dtype name ({@code float32}, {@code int64}, ...)
 * @param shape         sizes, empty for a 0-d tensor
 * @param stride        strides in elements, one per dimension
 * @param storageOffset first element of the tensor inside its storage, in elements
 * @param storageKey    name of the storage entry ({@code <stem>/data/<storageKey>})
 */
public record TensorInfo(String key, String dtype, long[] shape, long[] stride, long storageOffset, String storageKey) {

    public TensorInfo {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(storageKey, "storageKey");
        shape = shape.clone();
        stride = stride.clone();
        if (shape.length != stride.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                    + " and stride " + Arrays.toString(stride) + " differ in rank");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public long[] stride() {
        return stride.clone();
    }

    /** Number of elements: the product of the shape, 1 for a 0-d tensor. */
    public long numel() {
        long n = 1;
        for (long size : shape) {
            n = Math.multiplyExact(n, size);
        }
        return n;
    }

    /** True when the strides are those of a row-major copy of this shape (size-1 dims ignored). */
    public boolean isContiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    // Records compare arrays by reference; compare them by content instead.
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t
                && key.equals(t.key) && dtype.equals(t.dtype)
                && Arrays.equals(shape, t.shape) && Arrays.equals(stride, t.stride)
                && storageOffset == t.storageOffset && storageKey.equals(t.storageKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, dtype, Arrays.hashCode(shape), Arrays.hashCode(stride), storageOffset, storageKey);
    }

    @Override
    public String toString() {
        return "TensorInfo[" + key + " " + dtype + " shape=" + Arrays.toString(shape)
                + " stride=" + Arrays.toString(stride) + " offset=" + storageOffset
                + " storage=" + storageKey + "]";
    }
}
