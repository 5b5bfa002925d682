package org.mafstream.model.decode;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The label rules, in one place: which of a model's labels name entities (B-TYPE and I-TYPE; O,
 * X, [CLS], [SEP] and PAD do not), and the type an entity is reported as (Twitter-2015's OTHER is
 * MISC).
 */
public final class EntityLabels {
    private EntityLabels() {}

    /** B-TYPE or I-TYPE. */
    public static boolean isEntityTag(String label) {
        return (label.startsWith("B-") || label.startsWith("I-")) && label.length() > 2;
    }

    /** The reported type of an entity label; empty for a label that names no entity. */
    public static Optional<String> entityType(String label) {
        return isEntityTag(label) ? Optional.of(canonicalType(label.substring(2))) : Optional.empty();
    }

    /** The reported types a model with these labels can emit, in label order. */
    public static Set<String> entityTypes(List<String> labels) {
        Set<String> types = new LinkedHashSet<>();
        for (String label : labels) {
            entityType(label).ifPresent(types::add);
        }
        return types;
    }

    /** The type a chunk of {@code type} is reported as. */
    public static String canonicalType(String type) {
        return "OTHER".equals(type) ? "MISC" : type;
    }
}
