package org.mafstream.job.registry;

/** Opens the client that a {@link RegistrySettings} describes. */
public final class SchemaRegistries {
    private SchemaRegistries() {}

    /**
     * {@code mock://<scope>}: the JVM-wide in-memory registry of that scope (tests, local demo).
     * Anything else: an HTTP client behind bounded caches.
     */
    public static SchemaRegistryClient connect(RegistrySettings settings) {
        if (settings.isMock()) {
            return InMemorySchemaRegistry.forScope(settings.mockScope());
        }
        return new CachingSchemaRegistryClient(
                new HttpSchemaRegistryClient(settings), settings.cacheCapacity());
    }
}
