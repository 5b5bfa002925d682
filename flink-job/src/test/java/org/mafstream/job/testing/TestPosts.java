package org.mafstream.job.testing;

import java.time.Instant;
import java.util.Map;
import org.mafstream.schemas.Post;

/** Posts for tests. */
public final class TestPosts {
    private TestPosts() {}

    public static Post textOnly(String id, String text) {
        return Post.newBuilder()
                .setPostId(id)
                .setText(text)
                .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .setAttributes(Map.of())
                .build();
    }

    public static Post withImageUrl(String id, String text, String url) {
        Post post = textOnly(id, text);
        post.setImageUrl(url);
        return post;
    }
}
