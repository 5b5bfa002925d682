package org.mafstream.job.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.mafstream.job.local.EmbeddedKafka;

/**
 * One in-JVM KRaft Kafka for every test class in the (single, reused) Surefire JVM: started by the
 * first class that registers this extension, closed when the whole test run ends. Tests isolate
 * themselves with unique topic names, not with separate brokers.
 */
public final class SharedKafka implements BeforeAllCallback {
    private static final String KEY = SharedKafka.class.getName();

    private volatile EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, k -> new ClosableKafka(start()), ClosableKafka.class)
                .kafka;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    private static EmbeddedKafka start() {
        try {
            return EmbeddedKafka.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the in-JVM Kafka cluster", e);
        }
    }

    private record ClosableKafka(EmbeddedKafka kafka) implements AutoCloseable, ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            kafka.close();
        }
    }
}
