package org.mafstream.job.cli;

import org.mafstream.schemas.Post;

/** Where the input readers of {@link ProducePosts} deliver posts and report what they skip. */
public interface PostSink {
    /** Takes one post; false asks the reader to stop (the post limit is reached). */
    boolean accept(Post post);

    /** An input line that yields no post; {@code location} is {@code file:line}. */
    void skip(String location, String problem);

    /** Something the user should know about that does not cost a post. */
    void warn(String location, String message);
}
