package org.mafstream.job.inference;

import java.util.List;
import org.mafstream.model.decode.EntitySpan;

/**
 * What the model says about one post's text.
 *
 * @param retainScore MAF's matching score P, or null when the post had no usable image
 * @param truncated the text needed more than the model's subwords; later words got no entities
 */
public record TextAnnotation(List<EntitySpan> entities, Float retainScore, boolean truncated) {}
