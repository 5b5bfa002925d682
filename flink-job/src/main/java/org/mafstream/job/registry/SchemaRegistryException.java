package org.mafstream.job.registry;

/**
 * A schema-registry call failed. Carries the HTTP status and the registry's error code (both -1
 * when the failure was not an HTTP answer). Subclasses name the cases callers act on.
 */
public class SchemaRegistryException extends RuntimeException {
    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        this(message, httpStatus, errorCode, null);
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent error code such as 40403, or -1. */
    public int errorCode() {
        return errorCode;
    }
}
