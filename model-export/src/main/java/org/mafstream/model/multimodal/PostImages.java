package org.mafstream.model.multimodal;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.mafstream.image.ImageDecoder;
import org.mafstream.image.ImageLimits;
import org.mafstream.image.ImagePreprocessing;
import org.mafstream.image.ImageRejectedException;
import org.mafstream.image.ImageRejection;
import org.mafstream.image.ImageTensorizer;

/**
 * The images of MNER posts as MAF's image branch takes them in training: {@code <images>/<IMGID>.jpg}
 * (the format is told by its bytes, not the name), decoded and preprocessed by the image module's
 * {@link ImageTensorizer}, the same code the streaming job runs, so that training sees the pixels
 * serving will. Give it the job's preprocessing ({@link ImagePreprocessing#imagenet224()}: SQUASH,
 * the job's default {@code image.resize-mode}); a different resize mode here is train/serve skew.
 *
 * <p>As in the original (run_gate_cl.py, convert_mm_examples_to_features), a post whose image
 * cannot be used, for any reason (missing, unreadable, refused by the decoder), gets a fixed
 * substitute image from the same directory instead, {@value #ORIGINAL_SUBSTITUTE} unless told
 * otherwise, and is counted. The original counts silently; here {@link #report()} names how many
 * posts and which ids, and {@link #survey} tells before training.
 *
 * <p>Deliberate differences from the original:
 * <ul>
 *   <li>An image with a side under 224 is used, resized like any other. The original's
 *       {@code RandomCrop(224)} raises on it, so there such an image is replaced by the substitute.
 *   <li>No random crop or horizontal flip: the job's preprocessing is deterministic, and it is what
 *       the trained model will see.
 *   <li>An image id that is not a plain file name (has a path separator) is an error, not a path
 *       leading out of the image directory.
 *   <li>An id found unusable once is not read again: it gets the substitute for the rest of the run.
 * </ul>
 *
 * <p>Safe to share between threads. Counts are cumulative over every lookup: a post looked up in
 * each of three epochs counts three times, so a {@link #survey} on a fresh instance is the per-post
 * picture.
 */
public final class PostImages {
    /** The original's substitute, in the Twitter-2017 image directory. */
    public static final String ORIGINAL_SUBSTITUTE = "17_06_4705.jpg";
    public static final String IMAGES_OPTION = "--images";
    public static final String SUBSTITUTE_OPTION = "--substitute-image";
    /** How many unusable ids the report names. */
    static final int REMEMBERED = 5;
    /**
     * Files over this are refused unread; the decoder refuses far less ({@link ImageLimits#defaults()}:
     * 10 MiB), this only keeps a stray huge file out of memory.
     */
    static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

    private final Path directory;
    private final ImageTensorizer tensorizer;
    private final String substituteName;
    private final Path substituteFile;

    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Map<String, String> unusable = new ConcurrentHashMap<>(); // id -> why
    private final List<String> firstUnusable = new ArrayList<>(); // "id why", guarded by itself
    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong substitutions = new AtomicLong();
    private volatile float[] substitutePixels;

    /**
     * @param directory the image directory ({@value #IMAGES_OPTION})
     * @param substitute the image for posts without a usable one ({@value #SUBSTITUTE_OPTION}): a
     *     file name in the directory, or a path; only read when first needed
     * @throws IOException if the directory does not exist or is not a directory
     */
    public PostImages(Path directory, ImageTensorizer tensorizer, String substitute) throws IOException {
        Objects.requireNonNull(directory, "directory");
        this.tensorizer = Objects.requireNonNull(tensorizer, "tensorizer");
        Objects.requireNonNull(substitute, "substitute");
        if (substitute.isBlank()) {
            throw new IllegalArgumentException(SUBSTITUTE_OPTION + " is empty: name the image for posts without a usable one");
        }
        if (!Files.exists(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "the image directory (" + IMAGES_OPTION + ") does not exist");
        }
        if (!Files.isDirectory(directory)) {
            throw new FileSystemException(directory.toString(), null, "the image directory (" + IMAGES_OPTION + ") is not a directory");
        }
        this.directory = directory;
        this.substituteName = substitute;
        this.substituteFile = directory.resolve(substitute);
    }

    /** With the original's substitute, {@value #ORIGINAL_SUBSTITUTE}. */
    public PostImages(Path directory, ImageTensorizer tensorizer) throws IOException {
        this(directory, tensorizer, ORIGINAL_SUBSTITUTE);
    }

    /** Decoding within {@link ImageLimits#defaults()}, as the job does unless configured otherwise. */
    public PostImages(Path directory, ImagePreprocessing preprocessing, String substitute) throws IOException {
        this(directory, new ImageTensorizer(new ImageDecoder(ImageLimits.defaults()), preprocessing), substitute);
    }

    public PostImages(Path directory, ImagePreprocessing preprocessing) throws IOException {
        this(directory, preprocessing, ORIGINAL_SUBSTITUTE);
    }

    public Path directory() {
        return directory;
    }

    public ImagePreprocessing preprocessing() {
        return tensorizer.preprocessing();
    }

    /** Where a post's image is: {@code <directory>/<imageId>.jpg}. */
    public Path imageFile(String imageId) {
        if (imageId == null || imageId.isBlank() || imageId.indexOf('/') >= 0 || imageId.indexOf('\\') >= 0
                || imageId.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("image id '" + imageId + "' is not a file name in " + directory
                    + " (" + IMAGES_OPTION + ")");
        }
        return directory.resolve(imageId + ".jpg");
    }

    /**
     * The image of a post, as a {@code float[size * size * 3]} in NHWC order; the substitute's if
     * the post's own is unusable.
     *
     * @throws IOException if the substitute is needed and cannot be used itself
     */
    public float[] pixels(String imageId) throws IOException {
        float[] pixels = lookup(imageId);
        return pixels == substitutePixels ? pixels.clone() : pixels;
    }

    /** The images of a batch of posts, in that order: one {@code float[B * size * size * 3]}, [B, size, size, 3]. */
    public float[] pixels(List<String> imageIds) throws IOException {
        int n = tensorizer.preprocessing().tensorLength();
        float[] batch = new float[Math.multiplyExact(imageIds.size(), n)];
        for (int i = 0; i < imageIds.size(); i++) {
            System.arraycopy(lookup(imageIds.get(i)), 0, batch, i * n, n);
        }
        return batch;
    }

    /**
     * Checks every post's image before training: decodes each distinct image once (without
     * resizing), counts each post as a lookup, and, if any post needs it, loads the substitute, so
     * that a missing substitute fails now rather than mid-training.
     *
     * @return {@link #report()}
     */
    public String survey(MnerPosts posts) throws IOException {
        for (String id : posts.distinctImageIds()) {
            Path file = imageFile(id);
            if (!unusable.containsKey(id)) {
                try {
                    tensorizer.check(read(file));
                } catch (IOException | ImageRejectedException e) {
                    markUnusable(id, e);
                }
            }
        }
        boolean substituted = false;
        for (String id : posts.imageIds()) {
            seen.add(id);
            lookups.incrementAndGet();
            if (unusable.containsKey(id)) {
                substitutions.incrementAndGet();
                substituted = true;
            }
        }
        if (substituted) {
            substitute();
        }
        return report();
    }

    /**
     * One line for the log, e.g. "images: 3 of 723 posts had no usable image (2 distinct ids:
     * O_4784 missing, 17_06_12 decode failed); substituted 17_06_4705.jpg".
     */
    public String report() {
        long posts = lookups.get();
        long without = substitutions.get();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "images: %d of %d posts had no usable image", without, posts));
        if (without > 0) {
            List<String> first;
            synchronized (firstUnusable) {
                first = List.copyOf(firstUnusable);
            }
            int distinct = unusable.size();
            line.append(String.format(Locale.ROOT, " (%d distinct id%s: %s%s); substituted %s", distinct, distinct == 1 ? "" : "s",
                    String.join(", ", first), distinct > first.size() ? ", …" : "", substituteName));
        }
        return line.toString();
    }

    /** Posts looked up (by {@link #pixels} or {@link #survey}), each time. */
    public long lookups() {
        return lookups.get();
    }

    /** Lookups that got the substitute. */
    public long substitutions() {
        return substitutions.get();
    }

    /** Distinct image ids looked up. */
    public int distinctIds() {
        return seen.size();
    }

    /** Distinct image ids found unusable. */
    public int unusableIds() {
        return unusable.size();
    }

    /** The first {@value #REMEMBERED} ids found unusable, in the order found. */
    public List<String> firstUnusableIds() {
        synchronized (firstUnusable) {
            return firstUnusable.stream().map(entry -> entry.substring(0, entry.indexOf(' '))).toList();
        }
    }

    private float[] lookup(String imageId) throws IOException {
        Path file = imageFile(imageId);
        seen.add(imageId);
        lookups.incrementAndGet();
        if (!unusable.containsKey(imageId)) {
            try {
                return tensorizer.toTensor(read(file));
            } catch (IOException | ImageRejectedException e) {
                markUnusable(imageId, e);
            }
        }
        substitutions.incrementAndGet();
        return substitute();
    }

    private void markUnusable(String imageId, Exception why) {
        String reason = why instanceof NoSuchFileException ? "missing"
                : why instanceof ImageRejectedException rejected ? rejected.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                : "unreadable";
        if (unusable.putIfAbsent(imageId, reason) == null) {
            synchronized (firstUnusable) {
                if (firstUnusable.size() < REMEMBERED) {
                    firstUnusable.add(imageId + " " + reason);
                }
            }
        }
    }

    private float[] substitute() throws IOException {
        float[] pixels = substitutePixels;
        if (pixels == null) {
            synchronized (this) {
                if (substitutePixels == null) {
                    substitutePixels = loadSubstitute();
                }
                pixels = substitutePixels;
            }
        }
        return pixels;
    }

    private float[] loadSubstitute() throws IOException {
        String advice = "; posts without a usable image (e.g. " + String.join(", ", firstUnusableIds())
                + ") take it instead, as in the original: put it in " + directory + " (" + IMAGES_OPTION
                + ") or name another image with " + SUBSTITUTE_OPTION;
        try {
            return tensorizer.toTensor(read(substituteFile));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(substituteFile.toString(), null, "the substitute image " + substituteName + " is missing" + advice);
        } catch (IOException e) {
            throw new IOException("the substitute image " + substituteFile + " could not be read: " + e + advice, e);
        } catch (ImageRejectedException e) {
            throw new IOException("the substitute image " + substituteFile + " could not be decoded: " + e.getMessage() + advice, e);
        }
    }

    private static byte[] read(Path file) throws IOException, ImageRejectedException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new ImageRejectedException(ImageRejection.TOO_LARGE, file + " is " + size + " bytes");
        }
        return Files.readAllBytes(file);
    }
}
