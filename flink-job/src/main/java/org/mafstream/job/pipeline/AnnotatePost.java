package org.mafstream.job.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.types.Either;
import org.mafstream.job.JobConfig;
import org.mafstream.job.fetch.ImageFetcher;
import org.mafstream.job.inference.PostAnnotator;
import org.mafstream.job.inference.SharedBundles;
import org.mafstream.job.inference.TextAnnotation;
import org.mafstream.job.io.DeadLetter;
import org.mafstream.job.io.IncomingPost;
import org.mafstream.job.pipeline.PostImages.PostImage;
import org.mafstream.schemas.ImageStatus;
import org.mafstream.schemas.PostAnnotations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference stage, one async step per post: region cache, fetch, decode, image batch, text
 * batch, through the JVM-wide model runtime. Its input, and so its checkpointed state, is the
 * small post; the image tensor stays in memory.
 *
 * <p>What becomes of a post: annotated; or, if the model fails on it alone while it runs a
 * known-good input, retried and then dead-lettered ({@link #INFERENCE_FAILED}). Waiting is not
 * failing: there is no per-post timeout, the async capacity back-pressures instead. A broken
 * model (it fails its probe too, its batcher is closed, or one call runs longer than the stall
 * timeout) fails the task, so Flink restarts it from the checkpoint and no post is lost.
 */
public final class AnnotatePost extends RichAsyncFunction<IncomingPost, Either<PostAnnotations, DeadLetter>> {
    public static final String INFERENCE_FAILED = "INFERENCE_FAILED";
    private static final Logger LOG = LoggerFactory.getLogger(AnnotatePost.class);

    private final JobConfig.Images images;
    private final JobConfig.Inference inference;

    private transient SharedBundles.Lease lease;
    private transient PostAnnotator annotator;
    private transient PostImages postImages;
    private transient String modelVersion;
    /** Follow-up work runs here, never on a batcher worker, which must stay free to drain its queue. */
    private transient ExecutorService continuations;
    private transient ScheduledExecutorService watchdog;
    private transient Set<ResultFuture<Either<PostAnnotations, DeadLetter>>> inFlight;
    private transient volatile boolean closed;
    private transient StageMetrics metrics;
    private transient Histogram latencyMillis;
    private transient Histogram retainScorePermille;
    private transient AutoCloseable batchMetrics;

    /** Adds the stage after {@code posts}: unordered, so one slow post holds up no other. */
    public static SingleOutputStreamOperator<Either<PostAnnotations, DeadLetter>> annotate(
            DataStream<IncomingPost> posts, JobConfig.Images images, JobConfig.Inference inference) {
        AnnotatePost function = new AnnotatePost(images, inference);
        // Timeout 0: Flink sets no per-post timer (a post waiting for the model is not failing).
        return AsyncDataStream.unorderedWait(posts, function, 0, TimeUnit.MILLISECONDS, inference.asyncCapacity())
                .returns(new EitherTypeInfo<>(TypeInformation.of(PostAnnotations.class), TypeInformation.of(DeadLetter.class)));
    }

    /**
     * @param images whether and how images are fetched
     * @param inference the runtime, attempts, region cache and stall timeout ({@code timeout}: the
     *     longest one model call may run before the model counts as hung); its async capacity is
     *     {@link #annotate}'s
     */
    public AnnotatePost(JobConfig.Images images, JobConfig.Inference inference) {
        this.images = images;
        this.inference = inference;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        try {
            lease = SharedBundles.acquire(inference.runtime());
            AnnotationRecords.requireSupportedLabels(lease.runtime().manifest());
        } catch (Exception e) {
            // Flink restarts the task and would retry quietly forever: say why at the project's log level.
            LOG.error("The inference stage cannot start: {}", e.getMessage(), e);
            throw e;
        }
        annotator = new PostAnnotator(lease.runtime());
        modelVersion = AnnotationRecords.modelVersion(lease.runtime().manifest());
        postImages = new PostImages(fetcher(), lease.runtime(), inference.regionCacheBytes(),
                images.fetch().totalTimeout().plusSeconds(5));
        metrics = new StageMetrics(getRuntimeContext().getMetricGroup().addGroup("inference"));
        latencyMillis = metrics.histogram("latencyMillis");
        retainScorePermille = metrics.histogram("retainScorePermille");
        Histogram imageBatchSize = metrics.histogram("imageBatchSize");
        Histogram textBatchSize = metrics.histogram("textBatchSize");
        batchMetrics = lease.runtime().listen(
                (size, wait, run, failed) -> imageBatchSize.update(size),
                (size, wait, run, failed) -> textBatchSize.update(size));
        inFlight = ConcurrentHashMap.newKeySet();
        continuations = Executors.newFixedThreadPool(2, daemon("annotate-post-continuation"));
        watchdog = Executors.newSingleThreadScheduledExecutor(daemon("annotate-post-watchdog"));
        watchdog.scheduleWithFixedDelay(this::failIfStalled, 1, 1, TimeUnit.SECONDS);
    }

    private ImageFetcher fetcher() {
        if (!images.enabled()) {
            return null;
        }
        // What the model never reads is not computed: a text-only bundle gets checked images only.
        return ImageFetcher.builder(images.fetch(), images.preprocessing())
                .metrics(new FlinkFetchMetrics(getRuntimeContext().getMetricGroup()))
                .tensors(lease.runtime().manifest().hasImageEncoder())
                .build();
    }

    @Override
    public void asyncInvoke(IncomingPost in, ResultFuture<Either<PostAnnotations, DeadLetter>> result) {
        long start = System.nanoTime();
        inFlight.add(result);
        postImages.load(in.post)
                .thenComposeAsync(image -> attempt(in, image, 1, start), continuations)
                .whenComplete((out, error) -> finish(result, out, error));
    }

    /** One try at the model; a post the model refuses on its own is tried again, with the same image in memory. */
    private CompletableFuture<Either<PostAnnotations, DeadLetter>> attempt(IncomingPost in, PostImage image, int attempt,
                                                                           long start) {
        CompletableFuture<TextAnnotation> annotation;
        try {
            annotation = postImages.regions(image)
                    .thenComposeAsync(regions -> annotate(in.post.getText(), regions), continuations);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        // Never on a batcher worker: a worker that submits (a retry) could wait on its own full queue.
        return annotation.handleAsync((annotated, error) -> {
            if (error == null) {
                long inferenceMillis = (System.nanoTime() - start) / 1_000_000;
                record(image.status(), annotated, inferenceMillis);
                return CompletableFuture.completedFuture(Either.<PostAnnotations, DeadLetter>Left(AnnotationRecords.of(
                        in, image.status(), annotated, modelVersion,
                        image.status() == ImageStatus.NO_IMAGE ? null : image.millis(), inferenceMillis)));
            }
            Throwable cause = Failures.rootCause(error);
            if (Failures.isSystemic(cause)) {
                return CompletableFuture.<Either<PostAnnotations, DeadLetter>>failedFuture(cause);
            }
            if (attempt < inference.attempts()) {
                return attempt(in, image, attempt + 1, start);
            }
            metrics.count("deadLettered." + INFERENCE_FAILED);
            return CompletableFuture.completedFuture(Either.<PostAnnotations, DeadLetter>Right(
                    DeadLetter.of(in, INFERENCE_FAILED, cause)));
        }, continuations).thenCompose(next -> next);
    }

    private CompletableFuture<TextAnnotation> annotate(String text, float[] regions) {
        try {
            return annotator.annotate(text, regions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) { // the post's own text broke a step before the model
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A systemic failure fails the task (Flink restarts it from the checkpoint); nothing is emitted after close. */
    private void finish(ResultFuture<Either<PostAnnotations, DeadLetter>> result,
                        Either<PostAnnotations, DeadLetter> out, Throwable error) {
        inFlight.remove(result);
        if (closed) {
            return;
        }
        try {
            if (error == null) {
                result.complete(List.of(out));
            } else {
                Throwable cause = Failures.rootCause(error);
                LOG.error("The model failed, not the post: failing the task so it restarts from its checkpoint", cause);
                result.completeExceptionally(cause);
            }
        } catch (RuntimeException e) {
            LOG.debug("A result arrived as the stage closed", e);
        }
    }

    /** A model call that never returns would stall every post behind it silently: fail the task instead. */
    private void failIfStalled() {
        long running = lease.runtime().longestRunningCallNanos();
        Duration limit = inference.timeout();
        if (running > limit.toNanos() && !inFlight.isEmpty()) {
            ModelStalledException stalled = new ModelStalledException(Duration.ofNanos(running), limit);
            LOG.error("Failing the task: {}", stalled.getMessage());
            for (ResultFuture<Either<PostAnnotations, DeadLetter>> result : inFlight) {
                result.completeExceptionally(stalled);
            }
        }
    }

    private void record(ImageStatus status, TextAnnotation annotation, long inferenceMillis) {
        metrics.count("posts");
        metrics.count("imageStatus." + status);
        metrics.count("entities", annotation.entities().size());
        latencyMillis.update(inferenceMillis);
        if (annotation.retainScore() != null) {
            retainScorePermille.update(Math.round(annotation.retainScore() * 1000));
        }
    }

    @Override
    public void close() throws Exception {
        closed = true;
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        if (batchMetrics != null) {
            batchMetrics.close();
        }
        if (lease != null) {
            lease.close();
        }
        // Not shutdownNow: this subtask's posts still queued in the shared batchers complete into
        // here later; they are dropped quietly (closed), never thrown at the batcher's worker.
        if (continuations != null) {
            continuations.shutdown();
        }
        if (postImages != null) {
            postImages.close();
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
