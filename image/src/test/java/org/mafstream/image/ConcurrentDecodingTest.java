package org.mafstream.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One shared tensorizer used by 8 threads at once gives the tensors of sequential use. */
class ConcurrentDecodingTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 5;

    @Test
    void eightThreadsDecodingDifferentImagesMatchSequentialDecoding() throws Exception {
        BufferedImage indexed = new BufferedImage(300, 200, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.getGraphics().drawImage(TestImages.noise(300, 200, 13), 0, 0, null);
        BufferedImage bgr = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(TestImages.noise(320, 240, 14), 0, 0, null);
        List<byte[]> images = List.of(
                TestImages.jpeg(TestImages.noise(640, 480, 11)),
                TestImages.encode(TestImages.noise(500, 375, 12), "png"),
                TestImages.encode(indexed, "gif"),
                TestImages.encode(bgr, "bmp"),
                TestImages.fixture("cmyk-cyan-white.jpg"),
                TestImages.fixture("quadrants-orientation6.jpg"),
                TestImages.fixture("quadrants-lossy.webp"),
                TestImages.fixture("quadrants-alpha-lossless.webp"));
        assertThat(images).hasSize(THREADS);
        ImageTensorizer tensorizer = new ImageTensorizer(new ImageDecoder(ImageLimits.defaults()),
                ImagePreprocessing.imagenet224(ResizeMode.SQUASH));

        List<float[]> sequential = new ArrayList<>();
        for (byte[] image : images) {
            sequential.add(tensorizer.toTensor(image));
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<List<float[]>>> results = new ArrayList<>();
            for (byte[] image : images) {
                results.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS); // all threads decode at the same moment
                    List<float[]> tensors = new ArrayList<>();
                    for (int round = 0; round < ROUNDS; round++) {
                        tensors.add(tensorizer.toTensor(image));
                    }
                    return tensors;
                }));
            }
            for (int i = 0; i < THREADS; i++) {
                for (float[] tensor : results.get(i).get(60, TimeUnit.SECONDS)) {
                    assertThat(tensor).as("image %d", i).isEqualTo(sequential.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
