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

    private StorageTypes() {
    }
}
