package org.mafstream.model.checkpoint;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads one float32 tensor out of its storage into a row-major {@code float[]}.
 *
 * <p>Only the elements the view can touch are read: from the storage offset to the last element
 * its strides reach (the "span"). Those bytes are decoded through a small fixed buffer straight
 * into a {@code float[]}, so a contiguous tensor costs its own size plus the buffer, whatever the
 * file size. A strided view reads its span and then gathers it into a fresh row-major array.
 */
final class Float32Reader {
    private static final int ELEMENT_BYTES = Float.BYTES;
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Path file;
    private final StorageSource storages;

    Float32Reader(Path file, StorageSource storages) {
        this.file = file;
        this.storages = storages;
    }

    float[] read(TensorInfo tensor) throws CheckpointException {
        String key = tensor.key();
        StorageBytes entry = storages.find(tensor);
        long numel = tensor.numel();
        if (numel == 0) {
            return new float[0];
        }
        long span;
        long neededBytes;
        try {
            span = span(tensor);
            neededBytes = Math.multiplyExact(Math.addExact(tensor.storageOffset(), span), (long) ELEMENT_BYTES);
        } catch (ArithmeticException e) {
            throw new CheckpointException(file, key, "storage offset and strides overflow a long: "
                    + tensor.storageOffset() + ", " + Arrays.toString(tensor.stride()));
        }
        if (span > MAX_ARRAY) {
            throw new CheckpointException(file, key, "tensor spans " + span + " elements, more than a Java array holds");
        }
        if (entry.size() >= 0 && entry.size() < neededBytes) {
            throw tooShort(tensor, entry, entry.size(), neededBytes);
        }
        float[] values = readSpan(tensor, entry, (int) span, neededBytes);
        return tensor.isContiguous() ? values : gather(values, tensor.shape(), tensor.stride(), (int) numel);
    }

    /** Elements from the first to the last one the view touches (strides are never negative in torch). */
    static long span(TensorInfo tensor) {
        return span(tensor.shape(), tensor.stride());
    }

    static long span(long[] shape, long[] stride) {
        long last = 0;
        for (int d = 0; d < shape.length; d++) {
            last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, stride[d]));
        }
        return last + 1;
    }

    private float[] readSpan(TensorInfo tensor, StorageBytes entry, int span, long neededBytes) throws CheckpointException {
        float[] values = new float[span];
        byte[] chunk = new byte[Math.min(CHUNK_BYTES, span * ELEMENT_BYTES)];
        FloatBuffer floats = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        try (InputStream in = entry.open()) {
            in.skipNBytes(tensor.storageOffset() * ELEMENT_BYTES);
            for (int done = 0; done < span; ) {
                int n = Math.min(span - done, chunk.length / ELEMENT_BYTES);
                int got = in.readNBytes(chunk, 0, n * ELEMENT_BYTES);
                if (got < n * ELEMENT_BYTES) {
                    throw new EOFException();
                }
                floats.clear();
                floats.get(values, done, n);
                done += n;
            }
        } catch (EOFException e) {
            throw tooShort(tensor, entry, -1, neededBytes);
        } catch (IOException e) {
            throw new CheckpointException(file, tensor.key(), "cannot read " + entry.name()
                    + " (" + entry.damageHint() + "): " + e.getMessage(), e);
        }
        return values;
    }

    /** Row-major copy of a strided view whose elements start at {@code span[0]}. */
    static float[] gather(float[] span, long[] shape, long[] stride, int numel) {
        float[] out = new float[numel];
        int rank = shape.length;
        int lastSize = (int) shape[rank - 1];
        long lastStride = stride[rank - 1];
        long[] index = new long[rank];
        long base = 0;
        int o = 0;
        while (true) {
            long p = base;
            for (int j = 0; j < lastSize; j++, p += lastStride) {
                out[o++] = span[(int) p];
            }
            // odometer over the leading dimensions
            int d = rank - 2;
            while (d >= 0 && ++index[d] == shape[d]) {
                base -= stride[d] * (shape[d] - 1);
                index[d] = 0;
                d--;
            }
            if (d < 0) {
                return out;
            }
            base += stride[d];
        }
    }

    private CheckpointException tooShort(TensorInfo tensor, StorageBytes entry, long actualBytes, long neededBytes) {
        return new CheckpointException(file, tensor.key(), entry.name() + " is too short: "
                + (actualBytes >= 0 ? actualBytes + " bytes" : "it ends early") + ", the tensor needs " + neededBytes
                + " (storage offset " + tensor.storageOffset() + ", shape " + Arrays.toString(tensor.shape())
                + ", stride " + Arrays.toString(tensor.stride()) + ")");
    }
}
