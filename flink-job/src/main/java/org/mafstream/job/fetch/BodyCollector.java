package org.mafstream.job.fetch;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.mafstream.image.ImageFormat;
import org.mafstream.schemas.ImageStatus;

/**
 * Receives one response, refusing as early as it can: a declared Content-Length over the limit
 * at the headers, a body over the limit at the byte that crosses it (with or without a
 * Content-Length), and a body whose first bytes are no known image format (the Content-Type is
 * never read). Only 200 and 203 bodies are kept; others are read and dropped, up to 64 KB, so
 * the connection can be reused; a longer one is cut off and the status alone decides.
 */
final class BodyCollector implements Response.Listener {
    /** Enough for {@link ImageFormat#sniff} to recognise every format (BMP needs 18). */
    private static final int SNIFF_BYTES = 32;
    /** Of an error or redirect body, read this much (to keep the connection) before giving up on it. */
    private static final long DISCARD_BYTES = 64 * 1024;

    private final long maxBytes;
    private final BodyGauge gauge;
    private final FetchMetrics metrics;
    private final CompletableFuture<Exchange> done = new CompletableFuture<>();
    private boolean keep;
    private byte[] body;
    private int size;
    private long received;
    private boolean sniffed;
    private boolean counted;

    /** Counts the image bodies held in memory, from their first byte to their release. */
    interface BodyGauge {
        void opened();

        void closed();
    }

    /** One exchange's outcome: the status (0 without a response), a kept body, or the failure. */
    record Exchange(int status, String location, String retryAfter, byte[] body, Throwable failure) {}

    BodyCollector(long maxBytes, BodyGauge gauge, FetchMetrics metrics) {
        this.maxBytes = maxBytes;
        this.gauge = gauge;
        this.metrics = metrics;
    }

    CompletableFuture<Exchange> done() {
        return done;
    }

    @Override
    public void onHeaders(Response response) {
        keep = response.getStatus() == 200 || response.getStatus() == 203;
        long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (keep && length > maxBytes) {
            response.abort(new BodyRejectedException(ImageStatus.TOO_LARGE,
                    "Content-Length " + length + " is over the limit of " + maxBytes + " bytes"));
        } else if (keep && length > 0) {
            open((int) length);
        }
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
        int n = content.remaining();
        received += n;
        metrics.onBytes(n);
        if (!keep) {
            if (received > DISCARD_BYTES) {
                response.abort(BodyRejectedException.discarded("HTTP " + response.getStatus() + " body cut off"));
            }
            return;
        }
        if (received > maxBytes) {
            response.abort(new BodyRejectedException(ImageStatus.TOO_LARGE,
                    "body is over the limit of " + maxBytes + " bytes"));
            return;
        }
        if (body == null) {
            open((int) Math.min(maxBytes, Math.max(n, 64 * 1024)));
        } else if (size + n > body.length) {
            body = Arrays.copyOf(body, (int) Math.min(maxBytes, Math.max((long) body.length * 2, size + n)));
        }
        content.get(body, size, n);
        size += n;
        if (!sniffed && size >= SNIFF_BYTES) {
            sniffed = true;
            if (ImageFormat.sniff(Arrays.copyOf(body, SNIFF_BYTES)).isEmpty()) {
                response.abort(new BodyRejectedException(ImageStatus.UNSUPPORTED_TYPE,
                        "body is not a JPEG, PNG, GIF, BMP or WebP (first bytes " + hex(body) + ")"));
            }
        }
    }

    @Override
    public void onComplete(Result result) {
        Response response = result.getResponse();
        int status = response == null ? 0 : response.getStatus();
        Throwable failure = result.getFailure();
        boolean kept = failure == null && keep;
        byte[] bytes = kept ? (body == null ? new byte[0] : body.length == size ? body : Arrays.copyOf(body, size)) : null;
        body = null;
        if (!kept && counted) {
            gauge.closed(); // nothing kept: the caller never sees a body to release
        }
        done.complete(new Exchange(status,
                response == null ? null : response.getHeaders().get(HttpHeader.LOCATION),
                response == null ? null : response.getHeaders().get(HttpHeader.RETRY_AFTER),
                bytes, failure));
    }

    private void open(int capacity) {
        body = new byte[capacity];
        if (!counted) {
            counted = true;
            gauge.opened();
        }
    }

    /** Whether this exchange counted a body in the gauge (the caller then owns its release). */
    boolean countedBody() {
        return counted;
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            s.append(String.format("%02x", bytes[i] & 0xff));
        }
        return s.toString();
    }
}
