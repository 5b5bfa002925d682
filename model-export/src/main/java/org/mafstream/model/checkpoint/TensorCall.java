package org.mafstream.model.checkpoint;

/**
 * The arguments of one {@code torch._utils._rebuild_tensor_v2(storage, storage_offset, size,
 * stride, requires_grad, backward_hooks[, metadata])} call, kept raw: they are checked later by
 * {@link StateDictDecoder}, which knows the state_dict key and can name it in errors.
 */
record TensorCall(Object[] args) {
}
