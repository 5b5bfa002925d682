package org.mafstream.job.registry;

/** 401/403: the credentials were missing, wrong or not allowed to do this. Not retried. */
public class RegistryAuthException extends SchemaRegistryException {
    public RegistryAuthException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }
}
