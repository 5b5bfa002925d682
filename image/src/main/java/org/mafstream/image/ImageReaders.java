package org.mafstream.image;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;

import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ServiceRegistry;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * A fresh {@link ImageReader} per call (readers hold per-image state and are not thread-safe; their
 * providers are). The provider for each format is fixed here rather than chosen by ImageIO's global
 * registry, whose contents depend on which class loader first touched it (a Flink job's user-code
 * loader or not) and on whatever other plugins sit on the class path.
 */
final class ImageReaders {
    private static final ImageReaderSpi PNG = jdkProvider("com.sun.imageio.plugins.png.PNGImageReaderSpi");
    private static final ImageReaderSpi GIF = jdkProvider("com.sun.imageio.plugins.gif.GIFImageReaderSpi");
    private static final ImageReaderSpi BMP = jdkProvider("com.sun.imageio.plugins.bmp.BMPImageReaderSpi");
    private static final ImageReaderSpi JPEG = twelveMonkeysJpeg();
    private static final ImageReaderSpi WEBP = new WebPImageReaderSpi();

    private ImageReaders() {}

    static ImageReader create(ImageFormat format) throws IOException {
        ImageReaderSpi provider = switch (format) {
            case JPEG -> JPEG;
            case PNG -> PNG;
            case GIF -> GIF;
            case BMP -> BMP;
            case WEBP -> WEBP;
        };
        return provider.createReaderInstance();
    }

    /** The JDK's own reader for a format (always registered: it lives in java.desktop). */
    private static ImageReaderSpi jdkProvider(String className) {
        Iterator<ImageReaderSpi> providers = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, false);
        while (providers.hasNext()) {
            ImageReaderSpi provider = providers.next();
            if (provider.getClass().getName().equals(className)) {
                return provider;
            }
        }
        throw new IllegalStateException("the JDK has no " + className);
    }

    /**
     * TwelveMonkeys' JPEG reader (CMYK, YCCK, ICC profiles) wraps the JDK's and finds it when it is
     * registered. Registering it in a private registry gives it that delegate without adding it to
     * the JVM-wide one, which would pin the job's class loader after the job ends.
     */
    private static ImageReaderSpi twelveMonkeysJpeg() {
        ServiceRegistry registry = new ServiceRegistry(List.<Class<?>>of(ImageReaderSpi.class).iterator());
        registry.registerServiceProvider(jdkProvider("com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi"), ImageReaderSpi.class);
        JPEGImageReaderSpi provider = new JPEGImageReaderSpi();
        registry.registerServiceProvider(provider, ImageReaderSpi.class);
        return provider;
    }
}
