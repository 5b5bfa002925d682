package org.mafstream.job.cli;

import java.util.ArrayList;
import java.util.List;
import org.mafstream.schemas.Post;

/** A {@link PostSink} that keeps everything, and asks to stop after {@code limit} posts. */
public final class RecordingSink implements PostSink {
    final List<Post> posts = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    private final int limit;

    RecordingSink() {
        this(Integer.MAX_VALUE);
    }

    RecordingSink(int limit) {
        this.limit = limit;
    }

    @Override
    public boolean accept(Post post) {
        posts.add(post);
        return posts.size() < limit;
    }

    @Override
    public void skip(String location, String problem) {
        skipped.add(location + ": " + problem);
    }

    @Override
    public void warn(String location, String message) {
        warnings.add(location + ": " + message);
    }

    List<String> ids() {
        return posts.stream().map(Post::getPostId).toList();
    }
}
