package org.mafstream.model.checkpoint;

import java.io.Closeable;

/** Where the storages of a checkpoint's tensors are, whatever the file format. */
interface StorageSource extends Closeable {
    /** The bytes of the tensor's storage; an error naming the key when the file lacks them. */
    StorageBytes find(TensorInfo tensor) throws CheckpointException;
}
