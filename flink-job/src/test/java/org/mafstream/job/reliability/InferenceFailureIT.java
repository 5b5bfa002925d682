package org.mafstream.job.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mafstream.job.JobOptions;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.job.pipeline.AnnotatePost;
import org.mafstream.job.testing.BundleCopies;
import org.mafstream.job.testing.SharedKafka;
import org.mafstream.job.testing.TestJobs;
import org.mafstream.job.testing.TestPosts;
import org.mafstream.job.testing.TestTopics;
import org.mafstream.job.testing.TinyBundle;
import org.mafstream.job.cli.CommittedTopicReader;
import org.mafstream.job.cli.PostProducer;

/**
 * Inference that fails for some posts: the fixture bundle with one token appended to its vocab
 * beyond the model's embedding table, so a post using that token makes the model call throw
 * (TensorFlow's gather refuses the index). Batches fail as a whole, so each is re-run post by
 * post; a post that fails alone while the model runs its known-good probe is retried, then
 * dead-lettered with its original bytes and the reason; its batch-mates are annotated as usual.
 */
class InferenceFailureIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final SharedKafka KAFKA = new SharedKafka();

    @TempDir
    Path tmp;

    @Test
    void failingPostsAreDeadLetteredAfterRetriesAndTheRestFlows() throws Exception {
        Path bundle = BundleCopies.copy(TinyBundle.path(), tmp.resolve("bundle"));
        Files.writeString(bundle.resolve("vocab.txt"), "zzzpoison\n", StandardOpenOption.APPEND);

        TestTopics topics = TestTopics.unique("inference-failure");
        topics.create(KAFKA, 1);
        List<String> good = List.of("good-1", "good-2", "good-3", "good-4");
        List<String> bad = List.of("bad-1", "bad-2");
        try (PostProducer producer = new PostProducer(KAFKA.bootstrapServers(), topics.input(), topics.registryUrl())) {
            producer.send(TestPosts.textOnly("good-1", "Kevin Durant at Oracle Arena"));
            producer.send(TestPosts.textOnly("bad-1", "this zzzpoison breaks the model"));
            producer.send(TestPosts.textOnly("good-2", "Müller visits Zürich"));
            producer.send(TestPosts.textOnly("bad-2", "zzzpoison"));
            producer.send(TestPosts.textOnly("good-3", "Apple in Cupertino"));
            producer.send(TestPosts.textOnly("good-4", "Taylor Swift in London"));
        }

        Configuration conf = topics.jobConfiguration(KAFKA);
        conf.set(JobOptions.MODEL_BUNDLE, bundle.toString());
        conf.set(JobOptions.IMAGE_ENABLED, false);
        // Batches of several posts: a failed batch is re-run post by post, so only the bad ones fail.
        conf.set(JobOptions.INFERENCE_BATCH_DELAY, Duration.ofMillis(300));
        conf.set(JobOptions.INFERENCE_ATTEMPTS, 2);
        TestJobs.runToTheEnd(conf, 1, "inference-failure");

        List<String> annotated = CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.output(), good.size(),
                        Duration.ofSeconds(60), Duration.ofSeconds(1)).stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
        assertThat(annotated).containsExactlyInAnyOrderElementsOf(good);

        List<ConsumerRecord<byte[], byte[]>> dead = CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.deadLetter(),
                bad.size(), Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertThat(dead).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactlyInAnyOrderElementsOf(bad);
        for (ConsumerRecord<byte[], byte[]> letter : dead) {
            assertThat(new String(letter.headers().lastHeader(DeadLetter.REASON).value(), StandardCharsets.UTF_8))
                    .isEqualTo(AnnotatePost.INFERENCE_FAILED);
            assertThat(letter.value()).as("the original record bytes").isNotEmpty();
            assertThat(new String(letter.headers().lastHeader(DeadLetter.ERROR_MESSAGE).value(), StandardCharsets.UTF_8))
                    .isNotBlank();
        }
    }
}
