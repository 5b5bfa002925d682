package org.mafstream.job.local;

import java.io.PrintStream;
import java.util.Map;
import org.mafstream.schemas.Entity;
import org.mafstream.schemas.PostAnnotations;

/** Renders annotations for people: the post text with its entities marked, then the numbers. */
public final class DemoReport {
    private DemoReport() {}

    /** {@code text} with each entity as [surface]TYPE. */
    static String marked(String text, PostAnnotations annotations) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (Entity e : annotations.getEntities()) {
            out.append(text, at, e.getCharStart())
                    .append('[').append(text, e.getCharStart(), e.getCharEnd()).append(']').append(e.getType());
            at = e.getCharEnd();
        }
        return out.append(text.substring(at)).toString();
    }

    static void print(PrintStream out, PostAnnotations a, Map<String, String> texts) {
        String text = texts.getOrDefault(a.getPostId(), "");
        out.printf("%-8s image=%-16s P=%-5s %s%n", a.getPostId(), a.getImageStatus(),
                a.getRetainScore() == null ? "-" : String.format("%.2f", a.getRetainScore()), marked(text, a));
        for (Entity e : a.getEntities()) {
            out.printf("           %-4s %-30s confidence %.2f%n", e.getType(), '"' + e.getText() + '"',
                    e.getConfidence() == null ? Float.NaN : e.getConfidence());
        }
    }
}
