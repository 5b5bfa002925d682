package org.mafstream.model.checkpoint;

import java.util.Map;

/** The {@code torch.*Storage} classes a persistent id can name, and the dtype each one holds. */
final class StorageTypes {

    static final Map<String, String> DTYPE_BY_CLASS = Map.ofEntries(
            Map.entry("FloatStorage", "float32"),
            Map.entry("DoubleStorage", "float64"),
            Map.entry("HalfStorage", "float16"),
            Map.entry("BFloat16Storage", "bfloat16"),
            Map.entry("LongStorage", "int64"),
            Map.entry("IntStorage", "int32"),
            Map.entry("ShortStorage", "int16"),
            Map.entry("CharStorage", "int8"),
            Map.entry("ByteStorage", "uint8"),
            Map.entry("BoolStorage", "bool"),
            Map.entry("ComplexFloatStorage", "complex64"),
            Map.entry("ComplexDoubleStorage", "complex128"),
            Map.entry("QInt8Storage", "qint8"),
            Map.entry("QUInt8Storage", "quint8"),
            Map.entry("QInt32Storage", "qint32"));

    /** Bytes per element of each dtype above, as torch writes them. */
    static final Map<String, Integer> ELEMENT_BYTES = Map.ofEntries(
            Map.entry("float32", 4),
            Map.entry("float64", 8),
            Map.entry("float16", 2),
            Map.entry("bfloat16", 2),
            Map.entry("int64", 8),
            Map.entry("int32", 4),
            Map.entry("int16", 2),
            Map.entry("int8", 1),
            Map.entry("uint8", 1),
            Map.entry("bool", 1),
            Map.entry("complex64", 8),
            Map.entry("complex128", 16),
            Map.entry("qint8", 1),
            Map.entry("quint8", 1),
            Map.entry("qint32", 4));

    private StorageTypes() {
    }
}
