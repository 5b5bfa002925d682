package org.mafstream.model.checkpoint;

/**
 * What a persistent id {@code ('storage', torch.FloatStorage, '<key>', '<location>', numel)}
 * resolves to: a reference to a zip entry, never its bytes.
 */
record StorageRef(String key, String dtype, String location, long numel) {
}
