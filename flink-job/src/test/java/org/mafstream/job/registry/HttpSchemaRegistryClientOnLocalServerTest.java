package org.mafstream.job.registry;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.mafstream.job.registry.server.RegistryHttpServer;

/** The client's contract against the project's own local registry server, over real HTTP. */
class HttpSchemaRegistryClientOnLocalServerTest extends HttpRegistryClientContract {
    private RegistryHttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = RegistryHttpServer.start(InMemorySchemaRegistry.create(), 0);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Override
    String registryUrl() {
        return server.url();
    }
}
