/**
 * Post images from strangers' URLs to the model's input tensor, safely and without stalling the
 * stream; no Flink classes (the operator is {@code pipeline.ImageFetchFunction}).
 *
 * <p>Data flow: {@link org.mafstream.job.fetch.ImageFetcher} takes a URL (or inline bytes) →
 * {@link org.mafstream.job.fetch.FetchUrl} checks and normalizes it (http/https, no user-info,
 * length) → {@link org.mafstream.job.fetch.TensorCache} answers or shares a fetch under way →
 * {@link org.mafstream.job.fetch.HttpImageDownloader} fetches under
 * {@link org.mafstream.job.fetch.ConcurrencyLimiter} (overall and per host), with timeouts,
 * manual redirects and jittered retries; {@link org.mafstream.job.fetch.GuardedResolver} resolves
 * each host once and lets Jetty connect only to addresses the SSRF policy
 * ({@link org.mafstream.job.fetch.AddressKind}, {@link org.mafstream.job.fetch.AllowList}) passed;
 * {@link org.mafstream.job.fetch.BodyCollector} enforces the byte limit while streaming and
 * sniffs magic bytes → the {@code image} package decodes and tensorizes on the decode threads,
 * within what is left of the same time budget ({@code totalTimeout}).
 * Every outcome is an {@link org.mafstream.job.fetch.ImageResult} with the output schema's
 * {@code ImageStatus}; nothing throws.
 *
 * <p>Memory: at most {@code maxConcurrency} bodies (each at most {@code imageLimits.maxBytes})
 * are held at once, downloading or waiting to be decoded; cached tensors are bounded by
 * {@code cacheMaxBytes}.
 */
package org.mafstream.job.fetch;
