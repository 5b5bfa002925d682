package org.mafstream.model.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes zip records the way torch's {@code PyTorchStreamWriter} (through miniz) does, byte for
 * byte: every entry STORED, with zeroed time and date, the UTF-8 and data-descriptor flags, and
 * crc and sizes in a data descriptor after the data instead of in the local header; then the
 * central directory, a zip64 end record and locator, and the end record.
 *
 * <p>Each local header carries an extra field {@code "FB"} of {@code 'Z'} bytes that pads the
 * start of the entry's data to a multiple of 64 bytes. torch does this so that a storage can be
 * used in place (mmap, aligned vector loads) without a copy; readers skip the field like any zip
 * extra field. Offsets and sizes must stay below 4 GiB: torch would switch to zip64 extra fields
 * there, which this writer does not write.
 */
final class TorchZipRecords {
    static final long DEFAULT_LIMIT = 0xFFFF_FFFFL;
    private static final int ALIGNMENT = 64;
    private static final int LOCAL_HEADER = 30;
    private static final int FLAGS = 0x0808; // bit 3: sizes in a data descriptor; bit 11: UTF-8 names
    private static final int COPY_CHUNK = 1 << 20;

    private record Entry(byte[] name, long offset, long size, int crc) {
    }

    private final FileChannel out;
    private final long limit;
    private final List<Entry> entries = new ArrayList<>();
    private long cursor;

    /** @param limit offsets and sizes must stay below it ({@link #DEFAULT_LIMIT}, or less in tests) */
    TorchZipRecords(FileChannel out, long limit) throws IOException {
        this.out = out;
        this.limit = limit;
        this.cursor = out.position();
    }

    /** An entry from bytes in memory. */
    void record(String name, byte[] bytes) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        startRecord(name, bytes.length, (int) crc.getValue());
        write(ByteBuffer.wrap(bytes));
        endRecord();
    }

    /** An entry whose bytes are {@code length} bytes of {@code source} from {@code position}, with a known CRC-32. */
    void record(String name, FileChannel source, long position, long length, int crc) throws IOException {
        startRecord(name, length, crc);
        for (long done = 0; done < length; ) {
            long n = source.transferTo(position + done, Math.min(length - done, COPY_CHUNK), out);
            if (n <= 0) {
                throw new IOException("cannot copy " + name + ": the spool file ended after " + done + " of " + length + " bytes");
            }
            done += n;
        }
        cursor += length;
        endRecord();
    }

    /** Bytes an entry of this name and size takes from {@code offset}: header, padding, data, data descriptor. */
    static long recordSize(long offset, int nameBytes, long size) {
        return LOCAL_HEADER + nameBytes + 4 + padding(offset, nameBytes) + size + 16;
    }

    /** Writes the central directory and the end records; the channel stays open. */
    void finish() throws IOException {
        long directoryStart = cursor;
        for (Entry e : entries) {
            ByteBuffer h = littleEndian(46 + e.name().length);
            h.putInt(0x02014b50).putShort((short) 0).putShort((short) 0).putShort((short) FLAGS)
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0) // method, time, date
                    .putInt(e.crc()).putInt((int) e.size()).putInt((int) e.size())
                    .putShort((short) e.name().length).putShort((short) 0).putShort((short) 0) // extra, comment
                    .putShort((short) 0).putShort((short) 0).putInt(0) // disk, internal and external attributes
                    .putInt((int) e.offset()).put(e.name());
            write(h.flip());
        }
        long directorySize = cursor - directoryStart;
        long zip64End = cursor;
        checkLimit("the end records", zip64End + 56 + 20 + 22);
        ByteBuffer end = littleEndian(56 + 20 + 22);
        end.putInt(0x06064b50).putLong(44).putShort((short) 0x031e).putShort((short) 45).putInt(0).putInt(0)
                .putLong(entries.size()).putLong(entries.size()).putLong(directorySize).putLong(directoryStart);
        end.putInt(0x07064b50).putInt(0).putLong(zip64End).putInt(1);
        int count = Math.min(entries.size(), 0xFFFF);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count).putShort((short) count)
                .putInt((int) directorySize).putInt((int) directoryStart).putShort((short) 0);
        write(end.flip());
    }

    private void startRecord(String name, long size, int crc) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        checkLimit(name, cursor + recordSize(cursor, nameBytes.length, size));
        int padding = padding(cursor, nameBytes.length);
        entries.add(new Entry(nameBytes, cursor, size, crc));
        ByteBuffer h = littleEndian(LOCAL_HEADER + nameBytes.length + 4 + padding);
        h.putInt(0x04034b50).putShort((short) 0).putShort((short) FLAGS).putShort((short) 0) // version, flags, STORED
                .putShort((short) 0).putShort((short) 0) // time, date
                .putInt(0).putInt(0).putInt(0) // crc and sizes: in the data descriptor
                .putShort((short) nameBytes.length).putShort((short) (4 + padding)).put(nameBytes)
                .put((byte) 'F').put((byte) 'B').putShort((short) padding);
        for (int i = 0; i < padding; i++) {
            h.put((byte) 'Z');
        }
        write(h.flip());
    }

    private void endRecord() throws IOException {
        Entry e = entries.get(entries.size() - 1);
        write(littleEndian(16).putInt(0x08074b50).putInt(e.crc()).putInt((int) e.size()).putInt((int) e.size()).flip());
    }

    // torch's getPadding: the data starts after the 30-byte header, the name and the 4 bytes of the field's own header.
    private static int padding(long offset, int nameBytes) {
        long start = offset + LOCAL_HEADER + nameBytes + 4;
        return (int) ((ALIGNMENT - start % ALIGNMENT) % ALIGNMENT);
    }

    // The whole archive stays below the limit, so every offset and size fits the 32-bit fields.
    private void checkLimit(String what, long end) throws IOException {
        if (end >= limit) {
            throw new IOException("the checkpoint would reach " + end + " bytes at " + what + "; archives of "
                    + limit + " bytes or more need zip64 records, which this writer does not write");
        }
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            cursor += out.write(b);
        }
    }

    private static ByteBuffer littleEndian(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
