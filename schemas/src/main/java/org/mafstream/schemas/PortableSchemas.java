package org.mafstream.schemas;

import org.apache.avro.Schema;

/**
 * The generated classes' schemas carry {@code "avro.java.string":"String"} (we generate
 * java.lang.String fields). That property means nothing to other languages and does not change
 * the binary encoding, so the schema we publish to a registry, and compare in tests, is the one
 * without it, exactly as written in {@code src/main/avro}.
 */
public final class PortableSchemas {
    private static final String JAVA_STRING_PROP = "\"avro.java.string\":\"String\"";

    private PortableSchemas() {}

    public static Schema withoutJavaProperties(Schema schema) {
        String json = schema.toString()
                .replace("{\"type\":\"string\"," + JAVA_STRING_PROP + "}", "\"string\"")
                .replace("," + JAVA_STRING_PROP, "");
        return new Schema.Parser().parse(json);
    }

    public static Schema post() {
        return PostHolder.SCHEMA;
    }

    public static Schema postAnnotations() {
        return AnnotationsHolder.SCHEMA;
    }

    private static final class PostHolder {
        static final Schema SCHEMA = withoutJavaProperties(Post.getClassSchema());
    }

    private static final class AnnotationsHolder {
        static final Schema SCHEMA = withoutJavaProperties(PostAnnotations.getClassSchema());
    }
}
