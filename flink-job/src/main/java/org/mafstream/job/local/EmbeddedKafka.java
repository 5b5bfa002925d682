package org.mafstream.job.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) inside this JVM, for the local
 * demo and the tests. Sized for one machine: replication factor 1 everywhere, including the
 * transaction log that exactly-once output needs.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Duration PARTITION_WAIT = Duration.ofSeconds(30);
    /** The listeners of {@link #start(int)}: clients and brokers, and the controller. */
    private static final String LOCAL_LISTENER = "LOCAL";
    private static final String QUORUM_LISTENER = "QUORUM";
    /** The one node's id, broker and controller at once. */
    private static final int NODE_ID = 0;

    private final KafkaClusterTestKit cluster;
    /** The LOCAL listener's name when there is one, else null (the test kit's EXTERNAL listener serves clients). */
    private final ListenerName clientListener;

    private EmbeddedKafka(KafkaClusterTestKit cluster, ListenerName clientListener) {
        this.cluster = cluster;
        this.clientListener = clientListener;
    }

    /** A broker on free ports the test kit chooses (the demo, the tests). */
    public static EmbeddedKafka start() throws Exception {
        return start(builder(Map.of()), null);
    }

    /**
     * A broker that clients in other processes on this machine reach at {@code localhost:port}
     * (0: a free port), the address it advertises to them; nothing it serves listens beyond
     * loopback. The test kit would serve on listeners of its own (EXTERNAL for clients and
     * brokers, CONTROLLER for the quorum), on sockets it binds to free ports of every interface
     * before the broker starts, whatever the configuration says. So this broker serves on two
     * listeners of ours instead, LOCAL (clients and brokers) and QUORUM (the controller, on a
     * free loopback port); the test kit's sockets stay bound but unserved until it closes.
     */
    public static EmbeddedKafka start(int port) throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("not a port: " + port);
        }
        int quorumPort = freeLoopbackPort();
        // The test kit sets these only when they are not set, except the voters: a per-node
        // property, which it applies last.
        KafkaClusterTestKit.Builder builder = builder(Map.of(NODE_ID, Map.of(
                        "controller.quorum.voters", NODE_ID + "@localhost:" + quorumPort)))
                .setConfigProp("listeners", LOCAL_LISTENER + "://localhost:" + port + ","
                        + QUORUM_LISTENER + "://localhost:" + quorumPort)
                .setConfigProp("advertised.listeners", LOCAL_LISTENER + "://localhost:" + port)
                .setConfigProp("listener.security.protocol.map", LOCAL_LISTENER + ":PLAINTEXT," + QUORUM_LISTENER
                        + ":PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT")
                .setConfigProp("inter.broker.listener.name", LOCAL_LISTENER)
                .setConfigProp("controller.listener.names", QUORUM_LISTENER);
        return start(builder, new ListenerName(LOCAL_LISTENER));
    }

    /** A port free a moment ago; the broker binds it straight away. */
    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static EmbeddedKafka start(KafkaClusterTestKit.Builder builder, ListenerName clientListener)
            throws Exception {
        KafkaClusterTestKit cluster = builder.build();
        try {
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            // A port already taken must not leave a half-started broker behind.
            try {
                cluster.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return new EmbeddedKafka(cluster, clientListener);
    }

    /**
     * Formats the storage without the two lines the test kit's formatter prints to standard
     * output (it offers no stream to print to); nothing else of ours runs while a broker starts.
     */
    private static synchronized void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            cluster.format();
        } finally {
            System.setOut(stdout);
        }
    }

    private static KafkaClusterTestKit.Builder builder(Map<Integer, Map<String, String>> nodeProperties) {
        return new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true)
                        .setPerServerProperties(nodeProperties)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                        .build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false");
    }

    public String bootstrapServers() {
        if (clientListener == null) {
            return cluster.bootstrapServers();
        }
        return "localhost:" + cluster.brokers().values().iterator().next().boundPort(clientListener);
    }

    /** Creates the topics (existing ones are kept) and waits until every partition has a leader. */
    public void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = admin()) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(admin, List.of(topics));
        }
    }

    /** Stops the broker, waits {@code downtime}, and starts it again (fault-injection tests). */
    public void restartBroker(Duration downtime) throws Exception {
        var broker = cluster.brokers().values().iterator().next();
        broker.shutdown();
        broker.awaitShutdown();
        Thread.sleep(downtime.toMillis());
        broker.startup();
        cluster.waitForReadyBrokers();
    }

    public Admin admin() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(properties);
    }

    private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + PARTITION_WAIT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get();
                boolean ready = descriptions.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .map(TopicPartitionInfo::leader)
                        .allMatch(leader -> leader != null && !leader.isEmpty());
                if (ready) {
                    return;
                }
            } catch (ExecutionException notYetVisible) {
                // metadata not propagated yet: retry until the deadline
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("partitions of " + topics + " have no leader after " + PARTITION_WAIT);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
