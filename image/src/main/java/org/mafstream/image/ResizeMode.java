package org.mafstream.image;

/**
 * How an image of any size becomes the model's square input.
 *
 * <p>MAF was trained with {@code RandomCrop(224)} of the unresized image plus
 * {@code RandomHorizontalFlip()}, and the original code applies both at test time too. Neither
 * suits a streaming job: random transforms make the same post give different entities on a replay,
 * and a 224-pixel crop of a 4000-pixel photo keeps a tiny centre patch (about 0.4 % of it), often
 * background. Both modes here are deterministic and keep the image's content; neither flips.
 */
public enum ResizeMode {
    /**
     * The default ({@link ImagePreprocessing#imagenet224()}): resize the whole image to size × size, ignoring its aspect ratio. Everything in
     * the picture stays visible to the 7 × 7 region grid the model attends over, at the cost of
     * stretching; ResNet features tolerate moderate stretching better than missing content.
     */
    SQUASH,
    /**
     * Resize the shorter side to size (the longer side to {@code floor(size * long / short)}),
     * then take the centred size × size crop: the ImageNet evaluation convention, undistorted but
     * losing the ends of the longer side.
     */
    SHORTER_SIDE_CENTER_CROP
}
