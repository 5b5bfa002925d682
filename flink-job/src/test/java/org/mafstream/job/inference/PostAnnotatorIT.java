package org.mafstream.job.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mafstream.image.ImageDecoder;
import org.mafstream.image.ImageLimits;
import org.mafstream.image.ImagePreprocessing;
import org.mafstream.image.ImageTensorizer;
import org.mafstream.job.testing.TinyBundle;
import org.mafstream.model.decode.EntitySpan;
import org.mafstream.model.testing.Fixtures;

/**
 * Post text and PNG image in, entities out, on the maf-tiny fixture model. The expected spans are
 * written by hand from the original's Viterbi tags in examples.json (each word takes its first
 * subword's tag, then lenient BIO chunking), not computed by the code under test. The model is
 * random, so the entities are meaningless; what matters is that they are exactly these.
 */
class PostAnnotatorIT {
    private static SharedBundles.Lease lease;
    private static PostAnnotator annotator;

    @BeforeAll
    static void load() throws Exception {
        lease = SharedBundles.acquire(InferenceSettings.cpu(TinyBundle.path().toString()).withBatching(4, Duration.ofMillis(5)));
        annotator = new PostAnnotator(lease.runtime());
    }

    @AfterAll
    static void release() {
        lease.close();
    }

    @Test
    void umlautsAndAnEmoji() throws Exception {
        TextAnnotation annotation = annotate("Müller visits Zürich 😀", 3);

        assertThat(annotation.entities()).extracting(EntitySpan::type, EntitySpan::text, EntitySpan::charStart,
                        EntitySpan::charEnd, EntitySpan::wordStart, EntitySpan::wordEnd)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ORG", "Müller", 0, 6, 0, 1),
                        org.assertj.core.groups.Tuple.tuple("MISC", "Zürich", 14, 20, 2, 3));
        assertThat(annotation.retainScore()).isCloseTo(0.43004331f, org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(annotation.truncated()).isFalse();
        assertThat(annotation.entities()).allSatisfy(e -> assertThat(e.confidence()).isBetween(0.0, 1.0));
    }

    @Test
    void aSoftHyphenWordWithoutSubwordsIsSkipped() throws Exception {
        String text = "It ' s such a shame so many Americans are \u00ad rallying behind ignorance - Lauren Jauregui on Donald Trump";
        TextAnnotation annotation = annotate(text, 1);

        assertThat(annotation.entities()).extracting(EntitySpan::type, EntitySpan::text, EntitySpan::charStart, EntitySpan::wordStart)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("PER", "'", 3, 1),
                        org.assertj.core.groups.Tuple.tuple("LOC", "s", 5, 2),
                        org.assertj.core.groups.Tuple.tuple("ORG", "such", 7, 3),
                        org.assertj.core.groups.Tuple.tuple("PER", "a", 12, 4),
                        org.assertj.core.groups.Tuple.tuple("LOC", "shame", 14, 5),
                        org.assertj.core.groups.Tuple.tuple("ORG", "so", 20, 6),
                        org.assertj.core.groups.Tuple.tuple("MISC", "Americans", 28, 8),
                        org.assertj.core.groups.Tuple.tuple("MISC", "are", 38, 9),
                        org.assertj.core.groups.Tuple.tuple("MISC", "ignorance", 60, 13),
                        org.assertj.core.groups.Tuple.tuple("MISC", "-", 70, 14),
                        org.assertj.core.groups.Tuple.tuple("PER", "Lauren", 72, 15),
                        org.assertj.core.groups.Tuple.tuple("LOC", "Donald", 91, 18),
                        org.assertj.core.groups.Tuple.tuple("ORG", "Trump", 98, 19));
        assertThat(annotation.entities()).allSatisfy(e -> assertThat(e.wordEnd()).isEqualTo(e.wordStart() + 1));
    }

    @Test
    void wordsCutByTruncationGetNoEntitiesAndSetTheFlag() throws Exception {
        List<String> words = List.of(("Just used my Pass Master on Wayne Rooney on @ ultimatefanlive for # mufc vs # afcb Lady Gaga out "
                + "and about in NYC . ( May , 2 nd ) Radiohead offers old and new at first concert in four years . . . LeBron James "
                + "has once again set himself up to have an other - worldly NBA Finals The Best Daytime Looks from the 2016 Cannes "
                + "Film Festival I ' ll make sure I ' ll leave a shoe so big that not even a size 13 basketballer can fill . . TWICE "
                + "go unnoticed in Times Square during \" TT \" cover performance Ew Moon : How I Got Over the Trauma of Seeing Kim "
                + "Kardashian ' s Bare Ass . # RemoveALetterSpoilABook").split(" "));
        TextAnnotation annotation = annotate(String.join(" ", words), 2);

        assertThat(annotation.truncated()).isTrue();
        int ew = words.indexOf("Ew");
        assertThat(annotation.entities()).isNotEmpty()
                .allSatisfy(e -> assertThat(e.wordEnd()).isLessThanOrEqualTo(ew + 1));
        // "Ew" keeps its first subword "E" (position 126, tag B-LOC): the last entity.
        EntitySpan last = annotation.entities().get(annotation.entities().size() - 1);
        assertThat(last.text()).isEqualTo("Ew");
        assertThat(last.type()).isEqualTo("LOC");
    }

    @Test
    void withoutAnImageThereIsNoRetainScore() throws Exception {
        TextAnnotation annotation = annotator.annotate("Müller visits Zürich", null).get(60, TimeUnit.SECONDS);
        assertThat(annotation.retainScore()).isNull();
    }

    /** The example's text with its PNG, decoded and preprocessed as the job does. */
    private TextAnnotation annotate(String text, int example) throws Exception {
        byte[] png = Files.readAllBytes(Fixtures.mafTiny().resolve("image_" + example + ".png"));
        float[] pixels = new ImageTensorizer(new ImageDecoder(ImageLimits.defaults()), ImagePreprocessing.imagenet224()).toTensor(png);
        float[] regions = lease.runtime().encodeImage(pixels).get(60, TimeUnit.SECONDS);
        return annotator.annotate(text, regions).get(60, TimeUnit.SECONDS);
    }
}
