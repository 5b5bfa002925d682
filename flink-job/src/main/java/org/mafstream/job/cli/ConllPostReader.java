package org.mafstream.job.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mafstream.schemas.Post;

/**
 * The CoNLL files of the Twitter MNER datasets (Twitter-2015, Twitter-2017): {@code IMGID:<id>}
 * opens a post, each {@code word<TAB>tag} line adds a word, a blank line closes it. The text is
 * the words joined by single spaces, the post id the image id ({@code -2}, {@code -3}, ... added
 * to repeats, which the datasets have), the image URL {@code <base><id>.jpg} when a base is given.
 * The gold tags travel along in the attribute {@code conll.tags}, the image id in
 * {@code conll.imgid}, for comparing the job's entities with them.
 */
public final class ConllPostReader implements PostReader {
    static final String IMGID = "IMGID:";

    private final String imageBaseUrl;
    private final Clock clock;
    private final Set<String> usedIds = new HashSet<>();

    /** @param imageBaseUrl prefix of the image URLs, or null for posts without images */
    ConllPostReader(String imageBaseUrl, Clock clock) {
        this.imageBaseUrl = imageBaseUrl;
        this.clock = clock;
    }

    /** The post being read: its image id, where it started, its words and tags so far. */
    private static final class Block {
        final String imageId;
        final String location;
        final List<String> words = new ArrayList<>();
        final List<String> tags = new ArrayList<>();

        Block(String imageId, String location) {
            this.imageId = imageId;
            this.location = location;
        }
    }

    @Override
    public void read(String source, BufferedReader lines, PostSink sink) throws IOException {
        Block block = null;
        boolean skippingBlock = false; // after a bad IMGID line: its words are not reported one by one
        String line;
        long number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            line = PostReader.withoutBom(line, number);
            String location = PostReader.location(source, number);
            if (line.isBlank()) {
                if (block != null && !emit(block, sink)) {
                    return;
                }
                block = null;
                skippingBlock = false;
            } else if (line.startsWith(IMGID)) {
                // A missing blank line between two posts is forgiven: the new IMGID closes the old one.
                if (block != null && !emit(block, sink)) {
                    return;
                }
                String imageId = line.substring(IMGID.length()).strip();
                block = imageId.isEmpty() || imageId.contains(" ") ? null : new Block(imageId, location);
                skippingBlock = block == null;
                if (skippingBlock) {
                    sink.skip(location, "bad image id line \"" + line + "\"; its words up to the next blank line are skipped");
                }
            } else if (block != null) {
                addWord(block, line, location, sink);
            } else if (!skippingBlock) {
                sink.skip(location, "a word outside a post (no IMGID: line before it)");
            }
        }
        if (block != null) {
            emit(block, sink);
        }
    }

    /** {@code word<TAB>tag}; a space instead of the tab is accepted, as some copies of the data have. */
    private static void addWord(Block block, String line, String location, PostSink sink) {
        int separator = line.indexOf('\t');
        if (separator < 0) {
            separator = line.lastIndexOf(' ');
        }
        String word = (separator < 0 ? line : line.substring(0, separator)).strip();
        if (word.isEmpty() || word.chars().anyMatch(Character::isWhitespace)) {
            sink.skip(location, "expected word<TAB>tag, got \"" + line + "\"");
            return;
        }
        block.words.add(word);
        block.tags.add(separator < 0 ? "" : line.substring(separator + 1).strip());
    }

    private boolean emit(Block block, PostSink sink) {
        if (block.words.isEmpty()) {
            sink.skip(block.location, "post " + block.imageId + " has no words");
            return true;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("conll.imgid", block.imageId);
        attributes.put("conll.tags", String.join(" ", block.tags));
        return sink.accept(Post.newBuilder()
                .setPostId(uniqueId(block.imageId))
                .setText(String.join(" ", block.words))
                .setImageUrl(imageBaseUrl == null ? null : imageBaseUrl + block.imageId + ".jpg")
                .setEventTime(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setAttributes(attributes)
                .build());
    }

    /** The image id, or for a repeat the first of {@code id-2}, {@code id-3}, ... not used yet. */
    private String uniqueId(String imageId) {
        String id = imageId;
        for (int n = 2; !usedIds.add(id); n++) {
            id = imageId + "-" + n;
        }
        return id;
    }
}
