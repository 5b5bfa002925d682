package org.mafstream.model.checkpoint;

/**
 * What a persistent id {@code ('storage', torch.FloatStorage, '<key>', '<location>', numel)}
 * resolves to: a reference to a storage, never its bytes. Legacy files add a sixth element,
 * {@code None} or the {@link View} of the root storage the tensor was saved on.
 *
 * @param key   the (root) storage's key: its zip entry name, or its name in a legacy file's storage list
 * @param numel elements of the (root) storage
 * @param view  null, or the slice of the root storage that the tensor's storage offset counts from
 */
record StorageRef(String key, String dtype, String location, long numel, View view) {

    StorageRef(String key, String dtype, String location, long numel) {
        this(key, dtype, location, numel, null);
    }

    /** {@code (view_key, offset, view_size)}: elements {@code offset .. offset+size} of the root storage. */
    record View(String key, long offset, long size) {
    }
}
