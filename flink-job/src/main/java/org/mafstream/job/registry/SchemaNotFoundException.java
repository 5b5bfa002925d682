package org.mafstream.job.registry;

/** 404: no schema with that id (40403), no such subject (40401) or schema not under the subject. */
public class SchemaNotFoundException extends SchemaRegistryException {
    public SchemaNotFoundException(String message, int errorCode) {
        super(message, 404, errorCode);
    }
}
