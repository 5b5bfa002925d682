package org.mafstream.job.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Writes a SpecificRecord as Confluent-framed Avro under a schema id registered beforehand. */
public final class ConfluentAvroEncoder<T extends SpecificRecord> {
    private final int schemaId;
    private final SpecificDatumWriter<T> writer;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private BinaryEncoder encoder;

    public ConfluentAvroEncoder(int schemaId, org.apache.avro.Schema schema) {
        this.schemaId = schemaId;
        this.writer = new SpecificDatumWriter<>(schema);
    }

    public int schemaId() {
        return schemaId;
    }

    /** Not thread-safe: one encoder per task. */
    public byte[] encode(T record) {
        buffer.reset();
        encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + record.getSchema().getFullName(), e);
        }
        return ConfluentWireFormat.frame(schemaId, buffer.toByteArray());
    }
}
