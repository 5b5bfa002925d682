package org.mafstream.job.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mafstream.job.JobOptions;
import org.mafstream.job.cli.Annotations;
import org.mafstream.job.cli.CommittedTopicReader;
import org.mafstream.job.cli.PostProducer;
import org.mafstream.job.local.LocalImageServer;
import org.mafstream.job.testing.SharedKafka;
import org.mafstream.job.testing.TestJobs;
import org.mafstream.job.testing.TestPosts;
import org.mafstream.job.testing.TestTopics;
import org.mafstream.model.checkpoint.TorchCheckpoint;
import org.mafstream.model.export.ModelExport;
import org.mafstream.model.testing.Fixtures;
import org.mafstream.schemas.PostAnnotations;

/**
 * From trainer to job in one step: {@code train-maf} trains the whole MAF for a few steps on the
 * fixture's posts and images (from the fixture's original checkpoint, the original's objective
 * and optimiser), writes the original checkpoint layout and a bundle, and the job serves that
 * bundle: every post gets an annotation, with a live retain score that differs between posts.
 */
class TrainedMultimodalModelIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    @RegisterExtension
    static final SharedKafka KAFKA = new SharedKafka();

    private static final String POSTS = """
            IMGID:image_0
            Müller\tB-PER
            visits\tO
            Zürich\tB-LOC

            IMGID:image_1
            Lauren\tB-PER
            Jauregui\tI-PER
            on\tO
            Donald\tB-PER
            Trump\tI-PER

            IMGID:image_2
            Apple\tB-ORG
            opens\tO
            in\tO
            Paris\tB-LOC

            IMGID:image_3
            the\tO
            Oscars\tB-MISC
            tonight\tO

            """;

    @Test
    void aModelTrainedWithImagesRunsInTheJobWithLiveRetainScores() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "train-maf");
        Path images = Files.createDirectories(work.resolve("images"));
        for (int i = 0; i < 4; i++) {
            // PNG content under the datasets' .jpg names: the decoder reads the content, not the name.
            Files.copy(Fixtures.mafTiny().resolve("image_" + i + ".png"), images.resolve("image_" + i + ".jpg"));
        }
        Path conll = Files.writeString(work.resolve("posts.txt"), POSTS);
        Path out = work.resolve("trained");
        Path bundle = work.resolve("bundle");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // A small rate: the matching classifier reads 8192 inputs, and BertAdam moves each weight by about
        // lr·3.16 a step; at 1e-3 every retain score saturates at 1 after two steps.
        int status = ModelExport.run(new String[] {"train-maf", "--train", conll.toString(), "--valid", conll.toString(),
                "--images", images.toString(), "--init", Fixtures.mafTiny().toString(), "--out", out.toString(),
                "--bundle", bundle.toString(), "--epochs", "2", "--batch", "4", "--negative-rate", "2", "--lr", "1e-5",
                "--warmup", "0"}, new PrintStream(log, true, StandardCharsets.UTF_8), System.err);
        String printed = log.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isZero();
        assertThat(printed).contains("train images: 0 of 4 posts had no usable image").contains("epoch 2:");

        try (TorchCheckpoint trained = TorchCheckpoint.open(out.resolve("pytorch_model.bin"));
             TorchCheckpoint original = TorchCheckpoint.open(Fixtures.mafTiny().resolve("pytorch_model.bin"));
             TorchCheckpoint encoder = TorchCheckpoint.open(out.resolve("pytorch_encoder.bin"));
             TorchCheckpoint originalEncoder = TorchCheckpoint.open(Fixtures.mafTiny().resolve("pytorch_encoder.bin"))) {
            assertThat(trained.keys()).containsExactlyElementsOf(original.keys());
            assertThat(encoder.keys()).containsExactlyElementsOf(originalEncoder.keys());
            assertThat(trained.readFloats("crs_classifier.weight")).isNotEqualTo(original.readFloats("crs_classifier.weight"));
            assertThat(trained.readFloats("self_attention.layer.0.output.dense.weight"))
                    .isEqualTo(original.readFloats("self_attention.layer.0.output.dense.weight"));
            // Train-mode BatchNorm: the statistics drifted towards the fixture images' own.
            assertThat(encoder.readFloats("resnet.bn1.running_mean")).isNotEqualTo(originalEncoder.readFloats("resnet.bn1.running_mean"));
            assertThat(encoder.readFloats("resnet.conv1.weight")).isEqualTo(originalEncoder.readFloats("resnet.conv1.weight"));
        }

        TestTopics topics = TestTopics.unique("trained-maf");
        topics.create(KAFKA, 1);
        try (LocalImageServer server = LocalImageServer.start(Duration.ZERO, images);
             PostProducer producer = new PostProducer(KAFKA.bootstrapServers(), topics.input(), topics.registryUrl())) {
            for (int i = 0; i < 4; i++) {
                producer.send(TestPosts.withImageUrl("post-" + i, "Müller visits Zürich with Donald Trump",
                        server.baseUrl() + "/image_" + i + ".jpg"));
            }
            Configuration conf = topics.jobConfiguration(KAFKA);
            conf.set(JobOptions.MODEL_BUNDLE, bundle.toString());
            conf.set(JobOptions.IMAGE_ALLOW_LIST, List.of(server.allowListEntry()));
            TestJobs.runToTheEnd(conf, 1, "trained-maf");
        }
        Annotations decoder = new Annotations(topics.registryUrl());
        Map<String, PostAnnotations> annotations = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : CommittedTopicReader.read(KAFKA.bootstrapServers(), topics.output(), 4,
                Duration.ofSeconds(60), Duration.ofSeconds(1))) {
            PostAnnotations a = decoder.decode(record.value());
            assertThat(annotations.put(a.getPostId(), a)).as("one annotation per post").isNull();
        }
        assertThat(annotations).hasSize(4);
        List<Float> retain = annotations.values().stream().map(PostAnnotations::getRetainScore).toList();
        System.out.println("trained MAF in the job: retain scores " + retain);
        assertThat(retain).doesNotContainNull();
        assertThat(retain.stream().mapToDouble(Float::doubleValue).max().orElseThrow()
                - retain.stream().mapToDouble(Float::doubleValue).min().orElseThrow()).isGreaterThan(1e-3);
        assertThat(annotations.values()).allSatisfy(a -> assertThat(a.getModelVersion()).startsWith("maf-trained/epoch "));
    }
}
