package org.mafstream.job.io;

import java.nio.ByteBuffer;

/**
 * Confluent's framing: byte 0 is the magic byte 0x00, bytes 1-4 the schema id (big-endian),
 * then the raw Avro binary (no single-object header).
 */
public final class ConfluentWireFormat {
    public static final byte MAGIC_BYTE = 0x0;
    public static final int HEADER_LENGTH = 5;

    private ConfluentWireFormat() {}

    public static byte[] frame(int schemaId, byte[] avroBinary) {
        return ByteBuffer.allocate(HEADER_LENGTH + avroBinary.length)
                .put(MAGIC_BYTE)
                .putInt(schemaId)
                .put(avroBinary)
                .array();
    }

    /** The schema id of a framed message, after checking its header. */
    public static int schemaId(byte[] message) throws PoisonRecordException {
        if (message.length < HEADER_LENGTH) {
            throw new PoisonRecordException(PoisonReason.TRUNCATED_FRAME,
                    "value has " + message.length + " bytes, the Confluent header alone needs " + HEADER_LENGTH);
        }
        if (message[0] != MAGIC_BYTE) {
            throw new PoisonRecordException(PoisonReason.BAD_MAGIC_BYTE,
                    String.format("first byte is 0x%02x, expected 0x00 (Confluent wire format)", message[0]));
        }
        return ByteBuffer.wrap(message, 1, 4).getInt();
    }
}
