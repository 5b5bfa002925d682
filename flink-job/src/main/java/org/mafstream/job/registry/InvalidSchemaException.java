package org.mafstream.job.registry;

/** 422: the registry could not parse the schema (42201) or another argument was invalid. */
public class InvalidSchemaException extends SchemaRegistryException {
    public InvalidSchemaException(String message, int errorCode) {
        super(message, 422, errorCode);
    }
}
