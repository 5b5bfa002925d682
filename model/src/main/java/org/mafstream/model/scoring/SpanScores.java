package org.mafstream.model.scoring;

import java.util.Locale;
import java.util.Map;

/**
 * Entity-level scores as the original MAF evaluation reports them (ner_evaluate.evaluate and
 * evaluate_each_class): overall (micro over all chunks) and per entity type.
 *
 * @param sentences sentences scored
 * @param overall counts over all chunks, predicted X/[CLS]/[SEP]/PAD chunks included
 * @param perType PER, LOC, ORG, MISC, in that order
 */
public record SpanScores(int sentences, Counts overall, Map<String, Counts> perType) {

    public SpanScores {
        perType = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perType));
    }

    /**
     * Chunk counts and the figures the original derives from them: each figure is 0 when no
     * chunk is correct (so never NaN).
     */
    public record Counts(long correct, long predicted, long gold) {

        public double precision() {
            return correct > 0 ? (double) correct / predicted : 0;
        }

        public double recall() {
            return correct > 0 ? (double) correct / gold : 0;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return correct > 0 ? 2 * p * r / (p + r) : 0;
        }

        Counts plus(long addCorrect, long addPredicted, long addGold) {
            return new Counts(correct + addCorrect, predicted + addPredicted, gold + addGold);
        }

        String format() {
            return String.format(Locale.ROOT, "P %.4f R %.4f F1 %.4f (correct %d, predicted %d, gold %d)",
                    precision(), recall(), f1(), correct, predicted, gold);
        }
    }

    public double f1() {
        return overall.f1();
    }

    /** Several lines: overall, then one per type. */
    public String format() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-8s %s (%d sentences)%n", "Overall", overall.format(), sentences));
        perType.forEach((type, counts) -> out.append(String.format(Locale.ROOT, "%-8s %s%n", type, counts.format())));
        return out.toString();
    }
}
