package org.mafstream.image;

import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStreamImpl;
import java.io.IOException;
import java.util.Objects;

/**
 * The encoded image as an {@link javax.imageio.stream.ImageInputStream}, in memory (ImageIO's own
 * streams would cache to temporary files), that fails hard when a decoder keeps reading past the
 * end. TwelveMonkeys' lossless WebP decoder catches end-of-file inside its bit reader and goes on
 * decoding zero bits, one {@code EOFException} per read: a damaged 70-byte file declaring one
 * megapixel spun for 15 s. A valid file only touches the end a few times (look-ahead at its
 * tail), so after {@link #END_READS_ALLOWED} the stream throws a plain {@link IIOException}, which
 * such a catch does not swallow.
 */
final class ImageBytesInputStream extends ImageInputStreamImpl {
    static final int END_READS_ALLOWED = 1024;

    private final byte[] data;
    private int endReads;

    ImageBytesInputStream(byte[] data) {
        this.data = Objects.requireNonNull(data, "data");
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        if (streamPos >= data.length) {
            return atEnd();
        }
        return data[(int) streamPos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        Objects.checkFromIndexSize(off, len, b.length);
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= data.length) {
            return atEnd();
        }
        int n = (int) Math.min(len, data.length - streamPos);
        System.arraycopy(data, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return data.length;
    }

    @Override
    public boolean isCached() {
        return true;
    }

    @Override
    public boolean isCachedMemory() {
        return true;
    }

    private int atEnd() throws IIOException {
        if (++endReads > END_READS_ALLOWED) {
            throw new IIOException("decoder read past the end of the " + data.length
                    + "-byte image more than " + END_READS_ALLOWED + " times: corrupt or truncated data");
        }
        return -1;
    }
}
