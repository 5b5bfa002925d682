package org.mafstream.job.pipeline;

import java.time.Duration;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Either;
import org.mafstream.image.ImagePreprocessing;
import org.mafstream.job.JobConfig;
import org.mafstream.job.fetch.FetchSettings;
import org.mafstream.job.inference.InferenceSettings;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.job.io.IncomingPost;
import org.mafstream.job.testing.TestPosts;
import org.mafstream.schemas.PostAnnotations;

/** One subtask of the inference stage in Flink's operator test harness (images off, one attempt, no Flink timeout). */
final class StageHarness {
    private StageHarness() {}

    static OneInputStreamOperatorTestHarness<IncomingPost, Either<PostAnnotations, DeadLetter>> open(
            InferenceSettings settings, Duration stallTimeout) throws Exception {
        JobConfig.Images noImages = new JobConfig.Images(false, FetchSettings.builder().build(), ImagePreprocessing.imagenet224());
        AnnotatePost function = new AnnotatePost(noImages, new JobConfig.Inference(settings, 64, stallTimeout, 1, 0));
        var harness = new OneInputStreamOperatorTestHarness<IncomingPost, Either<PostAnnotations, DeadLetter>>(
                new AsyncWaitOperatorFactory<>(function, 0, 64, AsyncDataStream.OutputMode.UNORDERED),
                TypeInformation.of(IncomingPost.class).createSerializer(new SerializerConfigImpl()));
        harness.setup(new EitherTypeInfo<>(TypeInformation.of(PostAnnotations.class), TypeInformation.of(DeadLetter.class))
                .createSerializer(new SerializerConfigImpl()));
        harness.open();
        return harness;
    }

    static IncomingPost post(String id) {
        return new IncomingPost(TestPosts.textOnly(id, "Kevin Durant at Oracle Arena"), id.getBytes(),
                new byte[] {0, 0, 0, 0, 1, 2}, "posts", 0, 0, 0, 0);
    }
}
