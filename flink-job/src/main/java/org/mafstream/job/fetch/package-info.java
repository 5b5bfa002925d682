/**
 * Post images from strangers' URLs to the model's input tensor, safely and without stalling the
 * stream; no Flink classes (the job calls it from {@code pipeline.AnnotatePost}).
 *
 * <p>Data flow: {@link org.mafstream.job.fetch.ImageFetcher} takes a URL (or inline bytes) →
 * {@link org.mafstream.job.fetch.FetchUrl} checks and normalizes it (http/https, no user-info,
 * length) → {@link org.mafstream.job.fetch.TensorCache} answers or shares a fetch under way →
 * {@link org.mafstream.job.fetch.HttpImageDownloader} fetches under
 * {@link org.mafstream.job.fetch.ConcurrencyLimiter} (overall, per host and per resolved address),
 * with timeouts, manual redirects and jittered retries; each host is resolved on lookup threads of
 * its own ({@link org.mafstream.job.fetch.DnsLookups}), and {@link org.mafstream.job.fetch.GuardedResolver}
 * lets Jetty connect only to the addresses of that lookup the SSRF policy
 * ({@link org.mafstream.job.fetch.AddressKind}, {@link org.mafstream.job.fetch.AllowList}) passed
 * ({@link org.mafstream.job.fetch.PinnedAddresses}); a hard deadline ({@link org.mafstream.job.fetch.Deadlines})
 * ends every request at its time budget;
 * {@link org.mafstream.job.fetch.BodyCollector} enforces the byte limit while streaming and
 * sniffs magic bytes → the image module ({@code org.mafstream.image}) decodes and tensorizes on the
 * decode threads, within what is left of the same time budget ({@code totalTimeout}).
 * Every outcome is an {@link org.mafstream.job.fetch.ImageResult} with the output schema's
 * {@code ImageStatus} (the image module's refusals through {@link org.mafstream.job.fetch.RejectionStatus});
 * nothing throws.
 *
 * <p>Memory: at most {@code maxConcurrency} bodies (each at most {@code imageLimits.maxBytes})
 * are held at once, downloading or waiting to be decoded; cached tensors are bounded by
 * {@code cacheMaxBytes}.
 */
package org.mafstream.job.fetch;
