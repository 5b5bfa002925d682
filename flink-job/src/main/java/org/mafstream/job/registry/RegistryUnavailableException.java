package org.mafstream.job.registry;

/**
 * The registry did not answer usefully after all retries: 5xx, 429, connection refused or a
 * timeout. Transient by nature, so a record that hits it is never a poison record; the job
 * fails over and retries from its last checkpoint instead.
 */
public class RegistryUnavailableException extends SchemaRegistryException {
    public RegistryUnavailableException(String message, int httpStatus, Throwable cause) {
        super(message, httpStatus, -1, cause);
    }
}
