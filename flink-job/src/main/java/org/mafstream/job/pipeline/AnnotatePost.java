package org.mafstream.job.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.types.Either;
import org.mafstream.job.JobConfig;
import org.mafstream.job.inference.InferenceSettings;
import org.mafstream.job.inference.PostAnnotator;
import org.mafstream.job.inference.SharedBundles;
import org.mafstream.job.inference.TextAnnotation;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.schemas.PostAnnotations;

/**
 * The inference stage: a post (and its image tensor, if any) to its annotations, through the
 * JVM-wide model runtime and its micro-batchers. A post whose inference fails is retried, then
 * dead-lettered with its original bytes, so one bad post never stops the stream.
 */
public final class AnnotatePost extends RichAsyncFunction<PostWithImage, Either<PostAnnotations, DeadLetter>> {
    public static final String INFERENCE_FAILED = "INFERENCE_FAILED";
    public static final String INFERENCE_TIMEOUT = "INFERENCE_TIMEOUT";

    private final InferenceSettings settings;
    private final int maxAttempts;
    private final long regionCacheBytes;

    private transient SharedBundles.Lease lease;
    private transient PostAnnotator annotator;
    private transient String modelVersion;
    private transient Cache<String, float[]> regionsByImage;
    /** Follow-up work runs here, never on a batcher worker, which must stay free to drain its queue. */
    private transient ExecutorService continuations;
    private transient StageMetrics metrics;
    private transient Histogram latencyMillis;
    private transient Histogram retainScorePermille;
    private transient AutoCloseable batchMetrics;

    /** Adds the inference stage after {@code posts}: unordered, so one slow post holds up no other. */
    public static SingleOutputStreamOperator<Either<PostAnnotations, DeadLetter>> annotate(
            DataStream<PostWithImage> posts, JobConfig.Inference inference) {
        AnnotatePost function = new AnnotatePost(inference.runtime(), inference.attempts(), inference.regionCacheBytes());
        return AsyncDataStream.unorderedWait(posts, function, inference.timeout().toMillis(), TimeUnit.MILLISECONDS,
                        inference.asyncCapacity())
                .returns(new EitherTypeInfo<>(TypeInformation.of(PostAnnotations.class), TypeInformation.of(DeadLetter.class)));
    }

    public AnnotatePost(InferenceSettings settings, int maxAttempts, long regionCacheBytes) {
        this.settings = settings;
        this.maxAttempts = maxAttempts;
        this.regionCacheBytes = regionCacheBytes;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        lease = SharedBundles.acquire(settings);
        AnnotationRecords.requireSupportedLabels(lease.runtime().manifest());
        annotator = new PostAnnotator(lease.runtime());
        modelVersion = AnnotationRecords.modelVersion(lease.runtime().manifest());
        regionsByImage = Caffeine.newBuilder()
                .maximumWeight(regionCacheBytes)
                .weigher((String key, float[] regions) -> regions.length * Float.BYTES)
                .build();
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup().addGroup("inference"));
        latencyMillis = metrics.histogram("latencyMillis");
        retainScorePermille = metrics.histogram("retainScorePermille");
        Histogram imageBatchSize = metrics.histogram("imageBatchSize");
        Histogram textBatchSize = metrics.histogram("textBatchSize");
        batchMetrics = lease.runtime().listen(
                (size, wait, run, failed) -> imageBatchSize.update(size),
                (size, wait, run, failed) -> textBatchSize.update(size));
        continuations = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "annotate-post-continuation");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void asyncInvoke(PostWithImage in, ResultFuture<Either<PostAnnotations, DeadLetter>> result) throws Exception {
        attempt(in, 1, System.nanoTime(), result);
    }

    private void attempt(PostWithImage in, int attempt, long start,
                         ResultFuture<Either<PostAnnotations, DeadLetter>> result) throws InterruptedException {
        regions(in)
                .thenComposeAsync(regions -> annotate(in.post.post.getText(), regions), continuations)
                .whenCompleteAsync((annotation, error) -> {
                    if (error == null) {
                        long inferenceMillis = (System.nanoTime() - start) / 1_000_000;
                        record(in, annotation, inferenceMillis);
                        result.complete(List.of(Either.Left(AnnotationRecords.of(in.post, in.status, annotation,
                                modelVersion, in.status == org.mafstream.schemas.ImageStatus.NO_IMAGE ? null : in.imageMillis,
                                inferenceMillis))));
                    } else if (attempt < maxAttempts) {
                        try {
                            attempt(in, attempt + 1, start, result);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            result.complete(List.of(Either.Right(DeadLetter.of(in.post, INFERENCE_FAILED, e))));
                        }
                    } else {
                        metrics.count("deadLettered." + INFERENCE_FAILED);
                        result.complete(List.of(Either.Right(DeadLetter.of(in.post, INFERENCE_FAILED, rootCause(error)))));
                    }
                }, continuations);
    }

    private void record(PostWithImage in, TextAnnotation annotation, long inferenceMillis) {
        metrics.count("posts");
        metrics.count("imageStatus." + in.status);
        metrics.count("entities", annotation.entities().size());
        latencyMillis.update(inferenceMillis);
        if (annotation.retainScore() != null) {
            retainScorePermille.update(Math.round(annotation.retainScore() * 1000));
        }
    }

    private CompletableFuture<float[]> regions(PostWithImage in) throws InterruptedException {
        if (in.pixels == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (!lease.runtime().manifest().hasImageEncoder()) {
            // A text-only bundle reads no image (its image stage sent no pixels): the post has an
            // image, so it still gets the model's retain score, computed with zero regions.
            return CompletableFuture.completedFuture(lease.runtime().bundle().neutralRegions());
        }
        float[] cached = in.imageKey == null ? null : regionsByImage.getIfPresent(in.imageKey);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return lease.runtime().encodeImage(in.pixels).thenApply(regions -> {
            if (in.imageKey != null) {
                regionsByImage.put(in.imageKey, regions);
            }
            return regions;
        });
    }

    private CompletableFuture<TextAnnotation> annotate(String text, float[] regions) {
        try {
            return annotator.annotate(text, regions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void timeout(PostWithImage in, ResultFuture<Either<PostAnnotations, DeadLetter>> result) {
        metrics.count("deadLettered." + INFERENCE_TIMEOUT);
        result.complete(List.of(Either.Right(DeadLetter.of(in.post, INFERENCE_TIMEOUT,
                new TimeoutException("inference of post " + in.post.post.getPostId() + " did not finish in time")))));
    }

    @Override
    public void close() throws Exception {
        if (batchMetrics != null) {
            batchMetrics.close();
        }
        if (continuations != null) {
            continuations.shutdownNow();
        }
        if (lease != null) {
            lease.close();
        }
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
