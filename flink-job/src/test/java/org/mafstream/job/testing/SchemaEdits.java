package org.mafstream.job.testing;

import org.apache.avro.Schema;

/** Writer schemas of producers that differ from ours, derived from a record schema. */
public final class SchemaEdits {
    private SchemaEdits() {}

    /** {@code record} with one more field appended, given as its JSON. */
    public static Schema withField(Schema record, String fieldJson) {
        String json = record.toString();
        return new Schema.Parser().parse(json.substring(0, json.length() - 2) + "," + fieldJson + "]}");
    }
}
