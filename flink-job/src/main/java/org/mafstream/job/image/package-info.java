/**
 * Untrusted image bytes to the model's input tensor, with no Flink classes.
 *
 * <p>Data flow: {@link org.mafstream.job.image.ImageFormat#sniff sniff} the magic bytes (the
 * Content-Type is never trusted) → check the byte size and the header's width and height against
 * {@link org.mafstream.job.image.ImageLimits} before any pixel is decoded → decode → convert to
 * upright 8-bit sRGB ({@link org.mafstream.job.image.ImageDecoder}) → resize and normalise to the
 * NHWC float tensor the bundle declares ({@link org.mafstream.job.image.ImageTensorizer}). Every
 * refusal is an {@link org.mafstream.job.image.ImageRejectedException} whose
 * {@link org.mafstream.job.image.ImageRejection reason} maps to the output schema's
 * {@code ImageStatus}.
 *
 * <p>All classes are stateless or immutable and safe to share between threads.
 */
package org.mafstream.job.image;
