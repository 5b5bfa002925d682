package org.mafstream.job.inference;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.mafstream.model.decode.CrfMarginals;
import org.mafstream.model.decode.EntitySpan;
import org.mafstream.model.decode.EntitySpanDecoder;
import org.mafstream.model.decode.ViterbiDecoder;
import org.mafstream.model.text.EncodedText;
import org.mafstream.model.text.MafTextEncoder;
import org.mafstream.model.text.PostWords;
import org.mafstream.model.text.Word;

/**
 * A post's text (and its image regions, if any) to entities: split into words, encode, score in
 * a batch, Viterbi-decode, and map the chunks back to character offsets. Confidence is the mean
 * CRF marginal of an entity's word tags.
 */
public final class PostAnnotator {
    private final MafRuntime runtime;
    private final MafTextEncoder encoder;
    private final ViterbiDecoder viterbi;
    private final CrfMarginals marginals;
    private final EntitySpanDecoder spans;

    public PostAnnotator(MafRuntime runtime) {
        this.runtime = runtime;
        this.encoder = runtime.bundle().textEncoder();
        this.viterbi = new ViterbiDecoder(runtime.manifest().crf());
        this.marginals = new CrfMarginals(runtime.manifest().crf());
        this.spans = new EntitySpanDecoder(runtime.manifest().labels());
    }

    /** @param regions the post image's regions from {@link MafRuntime#encodeImage}, or null for none */
    public CompletableFuture<TextAnnotation> annotate(String text, float[] regions) throws InterruptedException {
        return tag(text, regions).thenApply(tagged -> new TextAnnotation(entities(text, tagged),
                regions == null ? null : tagged.scores().retainScore(), tagged.encoded().truncated()));
    }

    /** The entity spans of tagged {@code text}, with CRF-marginal confidences. */
    public List<EntitySpan> entities(String text, TaggedText tagged) {
        double[][] tagMarginals = marginals.compute(tagged.scores().emissions(), tagged.encoded().length());
        return spans.decode(text, tagged.words(), tagged.encoded(), tagged.tags(), tagMarginals);
    }

    /** The words, the model input, its scores and the Viterbi tag of each of the n real positions. */
    public record TaggedText(List<Word> words, EncodedText encoded, TextScores scores, int[] tags) {}

    /** The steps before span mapping: split, encode, score (batched) and Viterbi-decode. */
    public CompletableFuture<TaggedText> tag(String text, float[] regions) throws InterruptedException {
        List<Word> words = PostWords.split(text);
        EncodedText encoded = encoder.encode(PostWords.texts(words));
        TokenInput tokens = new TokenInput(encoded.inputIds(), encoded.inputMask(), encoded.segmentIds());
        return runtime.scoreText(tokens, regions).thenApply(scores ->
                new TaggedText(words, encoded, scores, viterbi.decode(scores.emissions(), encoded.length())));
    }
}
