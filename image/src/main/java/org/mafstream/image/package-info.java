/**
 * Untrusted image bytes to the model's input tensor, with no Flink, Kafka or Avro classes.
 *
 * <p>Shared by the streaming job (its {@code fetch} package) and the trainer in model-export, so
 * both see the same pixels: an image is decoded, oriented, converted and resized the same way at
 * training time as at serving time.
 *
 * <p>Data flow: {@link org.mafstream.image.ImageFormat#sniff sniff} the magic bytes (the
 * Content-Type is never trusted) → check the byte size and the header's width and height against
 * {@link org.mafstream.image.ImageLimits} before any pixel is decoded → decode → convert to
 * upright 8-bit sRGB ({@link org.mafstream.image.ImageDecoder}) → resize and normalise to the
 * NHWC float tensor the bundle declares ({@link org.mafstream.image.ImageTensorizer}). Every
 * refusal is an {@link org.mafstream.image.ImageRejectedException} with an
 * {@link org.mafstream.image.ImageRejection reason}; the job maps each reason to its output
 * schema's {@code ImageStatus}.
 *
 * <p>All classes are stateless or immutable and safe to share between threads.
 */
package org.mafstream.image;
