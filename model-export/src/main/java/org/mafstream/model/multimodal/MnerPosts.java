package org.mafstream.model.multimodal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mafstream.model.scoring.ConllSentences;
import org.mafstream.model.scoring.LabelledSentence;
import org.mafstream.model.text.MafTextEncoder;
import org.mafstream.model.train.TextTrainingGraph;
import org.mafstream.model.train.TokenSentences;
import org.mafstream.model.train.TrainingRecord;

/**
 * MNER posts for training the whole MAF model: the text side exactly as the text trainer reads it
 * ({@link TokenSentences}: token ids and gold tags as the original's convert_mm_examples_to_features
 * builds them), plus each post's image id, from the {@code IMGID:<id>} line before it (the image is
 * {@code <id>.jpg}, see {@link PostImages}).
 *
 * <p>A post without an image id is an error here. The original would look for the image directory
 * itself as the image, fail, and silently train that post on the substitute image; in the MNER
 * files every post has an IMGID line, so a missing one means a wrong or damaged file.
 *
 * @param text the posts' token ids and gold tags
 * @param imageIds one image id per post, in the same order
 */
public record MnerPosts(TokenSentences text, List<String> imageIds) {

    public MnerPosts {
        imageIds = List.copyOf(imageIds);
        if (text.size() != imageIds.size()) {
            throw new IllegalArgumentException(text.name() + ": " + text.size() + " sentences but " + imageIds.size() + " image ids");
        }
        for (int i = 0; i < imageIds.size(); i++) {
            if (imageIds.get(i).isBlank()) {
                throw new IllegalArgumentException(text.name() + ": post " + (i + 1) + " has no image id");
            }
        }
    }

    /**
     * Reads a MAF/UMT CoNLL file with an IMGID line before each sentence ({@link ConllSentences},
     * with its quirks); the text is tokenised by {@link TokenSentences#read}, so it is the same as
     * the text trainer's for that file.
     *
     * @throws IllegalArgumentException naming the file, the first sentence without an image id and
     *     its line, if any sentence lacks one
     */
    public static MnerPosts read(String role, Path conll, MafTextEncoder encoder, List<String> labels, PrintStream log)
            throws IOException {
        List<LabelledSentence> sentences = ConllSentences.read(conll);
        List<String> ids = new ArrayList<>(sentences.size());
        int withoutId = 0;
        int first = -1;
        for (int i = 0; i < sentences.size(); i++) {
            String id = sentences.get(i).imageId();
            if (id.isBlank()) {
                withoutId++;
                first = first < 0 ? i : first;
            }
            ids.add(id);
        }
        if (withoutId > 0) {
            List<String> words = sentences.get(first).words();
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: sentence %d (line %d, \"%s%s\") has no image id: no IMGID:<id> line, or an empty one, before it"
                            + " (%d of %d sentences lack one); an MNER file names each post's image this way",
                    conll, first + 1, firstWordLine(conll, first), String.join(" ", words.subList(0, Math.min(5, words.size()))),
                    words.size() > 5 ? " …" : "", withoutId, sentences.size()));
        }
        TokenSentences text = TokenSentences.read(role, conll, encoder, labels, log);
        if (text.size() != ids.size()) {
            throw new IOException(conll + " changed while being read: " + ids.size() + " then " + text.size() + " sentences");
        }
        MnerPosts posts = new MnerPosts(text, ids);
        log.printf(Locale.ROOT, "%s: %d posts, %d distinct image ids%n", text.name(), posts.size(), posts.distinctImageIds().size());
        return posts;
    }

    /** Several files read as one training set, in the order given. */
    public static MnerPosts concatenate(String name, List<MnerPosts> parts) {
        List<TokenSentences> texts = new ArrayList<>(parts.size());
        List<String> ids = new ArrayList<>();
        for (MnerPosts part : parts) {
            texts.add(part.text());
            ids.addAll(part.imageIds());
        }
        return new MnerPosts(TokenSentences.concatenate(name, texts), ids);
    }

    public String name() {
        return text.name();
    }

    /** The file read and its hash; null for a {@link #concatenate concatenation}. */
    public TrainingRecord.DataFile file() {
        return text.file();
    }

    public int size() {
        return imageIds.size();
    }

    /** Post {@code post}'s token ids, [CLS] … [SEP]. */
    public int[] tokenIds(int post) {
        return text.tokenIds().get(post);
    }

    /** Post {@code post}'s gold tag ids, one per token. */
    public int[] gold(int post) {
        return text.gold().get(post);
    }

    public String imageId(int post) {
        return imageIds.get(post);
    }

    /** Each image id once, in the order of first use (posts may share an image). */
    public Set<String> distinctImageIds() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(imageIds));
    }

    /** The text of some posts, for the text side of a batch. */
    public TextTrainingGraph.Batch batch(int[] posts) {
        return text.batch(posts);
    }

    /** The image ids of some posts, in that order, for {@link PostImages#pixels(List)}. */
    public List<String> imageIds(int[] posts) {
        List<String> ids = new ArrayList<>(posts.length);
        for (int post : posts) {
            ids.add(imageIds.get(post));
        }
        return ids;
    }

    /**
     * The 1-based line of sentence {@code sentence}'s first word, counting sentences as
     * {@link ConllSentences} does (only for the error message).
     */
    private static int firstWordLine(Path conll, int sentence) throws IOException {
        String text = Files.readString(conll, StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\r', '\n');
        int closed = 0;
        int words = 0;
        int line = 0;
        for (int start = 0; start < text.length(); ) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline + 1;
            boolean imgid = text.startsWith("IMGID:", start);
            boolean blank = text.charAt(start) == '\n';
            start = end;
            line++;
            if (imgid) {
                continue;
            }
            if (blank) {
                if (words > 0) {
                    closed++;
                    words = 0;
                }
            } else {
                if (words == 0 && closed == sentence) {
                    return line;
                }
                words++;
            }
        }
        return -1;
    }
}
