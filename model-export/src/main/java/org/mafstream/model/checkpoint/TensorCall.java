package org.mafstream.model.checkpoint;

/**
 * The arguments of one {@code torch._utils._rebuild_tensor_v2(storage, storage_offset, size,
 * stride, requires_grad, backward_hooks[, metadata])} call, of the older
 * {@code _rebuild_tensor(storage, storage_offset, size, stride)}, or the same four as the BUILD
 * state of a torch &lt; 0.2 {@code torch.FloatTensor()}, kept raw: they are checked later
 * by {@link StateDictDecoder}, which knows the state_dict key and can name it in errors.
 */
record TensorCall(Object[] args) {
}
