package org.mafstream.job.cli;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.mafstream.job.inference.InferenceSettings;
import org.mafstream.job.inference.MafRuntime;
import org.mafstream.job.inference.PostAnnotator;
import org.mafstream.job.inference.PostAnnotator.TaggedText;
import org.mafstream.cli.ToolCommandLine;
import org.mafstream.cli.ToolCommandLine.Option;
import org.mafstream.cli.ToolCommandLine.Parsed;
import org.mafstream.cli.ToolCommandLine.UsageException;
import org.mafstream.model.bundle.BundleManifest;
import org.mafstream.model.decode.BioChunker;
import org.mafstream.model.decode.EntitySpan;
import org.mafstream.model.scoring.ConllSentences;
import org.mafstream.model.scoring.GoldTags;
import org.mafstream.model.scoring.LabelledSentence;
import org.mafstream.model.scoring.SpanScorer;
import org.mafstream.model.scoring.SpanScores;

/**
 * The {@code evaluate} tool: runs a bundle through the job's own runtime (tokenizer, batched
 * model, Viterbi, span mapping) over a MAF/UMT CoNLL file, text only (the datasets' images are
 * not distributable, so every post goes without one), and prints span-level micro and per-type
 * precision, recall and F1.
 */
public final class EvaluateModel {
    static final int OK = 0;
    static final int CANNOT_RUN = ToolCommandLine.USAGE_ERROR;

    private static final ToolCommandLine COMMAND_LINE = new ToolCommandLine(
            "maf-stream evaluate --bundle DIR --data FILE [options]",
            """
            Scores a model bundle on a CoNLL file (IMGID: lines, word TAB label, blank line between
            sentences; B-OTHER/I-OTHER read as MISC). Each sentence's words, joined by spaces, go
            through the same code the job runs on a post's text, without an image.

            Two figures are printed. "original rules" is MAF's own evaluation: the tags Viterbi
            gives the first subword of each word, chunked as ner_evaluate.get_chunks does (a
            predicted X, [CLS], [SEP] or PAD there is a chunk of its own that never matches).
            "job's entity spans" scores the entities the job would emit, by their words.
            Exit status: 0 done, 2 could not run.""",
            List.of(
                    Option.value("bundle", "DIR", "model bundle written by model-export (required)"),
                    Option.value("data", "FILE", "CoNLL file, e.g. testdata/data/twitter2017/test.txt (required)"),
                    Option.value("batch", "N", "texts per model call (default 16)"),
                    Option.value("limit", "N", "score only the first N sentences"),
                    Option.flag("full-length", "run every text at the bundle's full sequence length (128) instead of"
                            + " its length buckets; the tags are the same, this shows it"),
                    Option.value("tags-out", "FILE", "also write each sentence's Viterbi tag ids, one line per sentence")));

    private EvaluateModel() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        ToolCommandLine.Startup<Settings> startup = COMMAND_LINE.settings("evaluate", args, Settings::from, out, err);
        if (startup.settings() == null) {
            return startup.exitStatus();
        }
        try {
            Result result = evaluate(startup.settings(), out);
            out.println("original rules (first subword of each word, get_chunks):");
            out.print(result.original().format());
            out.println("job's entity spans (by words):");
            out.print(result.spans().format());
            return OK;
        } catch (IOException | RuntimeException e) {
            err.println("evaluate: failed: " + e.getMessage());
            return CANNOT_RUN;
        }
    }

    record Settings(Path bundle, Path data, int batch, long limit, boolean fullLength, Path tagsOut) {
        static Settings from(Parsed args) {
            Path bundle = args.requiredPath("bundle");
            if (!Files.isRegularFile(bundle.resolve(BundleManifest.FILE_NAME))) {
                throw new UsageException("--bundle " + bundle + " is not a model bundle: no " + bundle.toAbsolutePath()
                        .resolve(BundleManifest.FILE_NAME));
            }
            Path data = args.requiredPath("data");
            if (!Files.isRegularFile(data)) {
                throw new UsageException("--data " + data + ": no such file (" + data.toAbsolutePath() + ")");
            }
            return new Settings(bundle, data, args.positiveInt("batch").orElse(16),
                    args.positiveLong("limit").orElse(Long.MAX_VALUE), args.has("full-length"),
                    args.path("tags-out").orElse(null));
        }
    }

    /** Scores by the original's rules and by the spans the job emits; each sentence's Viterbi tags. */
    record Result(SpanScores original, SpanScores spans, List<int[]> tags) {}

    static Result evaluate(Settings settings, PrintStream out) throws IOException {
        List<LabelledSentence> sentences = ConllSentences.read(settings.data());
        if (sentences.size() > settings.limit()) {
            sentences = sentences.subList(0, (int) settings.limit());
        }
        if (sentences.isEmpty()) {
            throw new UsageException(settings.data() + " has no sentences");
        }
        Engine.getEngine("TensorFlow");
        InferenceSettings inference = InferenceSettings.cpu(settings.bundle().toString())
                .withBatching(settings.batch(), java.time.Duration.ofMillis(20))
                .withTextLengthBuckets(!settings.fullLength());
        long start = System.nanoTime();
        try (MafRuntime runtime = MafRuntime.start(inference)) {
            BundleManifest manifest = runtime.manifest();
            out.printf("evaluate: %s %s (%s) on %s, %d sentences%n", manifest.name(), manifest.version(),
                    manifest.description(), settings.data(), sentences.size());
            PostAnnotator annotator = new PostAnnotator(runtime);
            List<String> texts = sentences.stream().map(s -> String.join(" ", s.words())).toList();
            List<CompletableFuture<TaggedText>> tagged = new ArrayList<>();
            for (String text : texts) {
                tagged.add(annotator.tag(text, null));
            }
            SpanScorer original = new SpanScorer(manifest.labels());
            SpanScorer spans = new SpanScorer(manifest.labels());
            List<int[]> tags = new ArrayList<>();
            Progress progress = new Progress("evaluate", sentences.size(), "sentences", System.err);
            for (int i = 0; i < sentences.size(); i++) {
                TaggedText text = tagged.get(i).join();
                progress.advance(1);
                tags.add(text.tags());
                LabelledSentence sentence = sentences.get(i);
                original.add(GoldTags.of(text.encoded(), sentence.labels(), manifest.labels()), text.tags());
                spans.addChunks(goldChunks(sentence), predictedChunks(annotator.entities(texts.get(i), text)));
            }
            out.printf("evaluate: %d sentences in %.1f s (%s)%n", sentences.size(), (System.nanoTime() - start) / 1e9,
                    settings.fullLength() ? "full length" : "length buckets where the bundle has them");
            if (settings.tagsOut() != null) {
                Files.write(settings.tagsOut(), tags.stream().map(t -> java.util.Arrays.stream(t)
                        .mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(" "))).toList());
            }
            return new Result(original.scores(), spans.scores(), tags);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static Set<BioChunker.Chunk> goldChunks(LabelledSentence sentence) {
        return new HashSet<>(BioChunker.chunks(sentence.labels()));
    }

    private static Set<BioChunker.Chunk> predictedChunks(List<EntitySpan> entities) {
        Set<BioChunker.Chunk> chunks = new HashSet<>();
        for (EntitySpan entity : entities) {
            chunks.add(new BioChunker.Chunk(entity.type(), entity.wordStart(), entity.wordEnd()));
        }
        return chunks;
    }
}
