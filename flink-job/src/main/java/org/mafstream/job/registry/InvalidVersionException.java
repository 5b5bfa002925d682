package org.mafstream.job.registry;

/** 422 with 42202: a version is neither a number in [1, 2^31-1] nor {@code latest}. */
public class InvalidVersionException extends SchemaRegistryException {
    public InvalidVersionException(String message) {
        super(message, 422, 42202);
    }
}
