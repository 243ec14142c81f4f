package org.deqnc.kernel;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A class file without its line-number tables: two compilations of the same code whose source lines moved (JShell
 * puts the session's imports above each wrapper class) have the same shape. Reads the class-file structure of the
 * JVM specification (chapter 4) far enough to find each method's {@code Code} attribute and leave out the
 * {@code LineNumberTable} attributes inside it; the lengths that change with them are left out too.
 */
final class ClassFileShape {

    private static final String LINE_NUMBERS = "LineNumberTable";

    private final ByteBuffer in;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private String[] utf8;

    private ClassFileShape(byte[] classFile) {
        this.in = ByteBuffer.wrap(classFile);
    }

    /** The class file's bytes without line-number tables; throws IllegalArgumentException if it is not one. */
    static byte[] of(byte[] classFile) {
        try {
            return new ClassFileShape(classFile).read();
        } catch (RuntimeException e) { // a buffer underflow or a bad constant: not a class file we can read
            throw new IllegalArgumentException("not a readable class file: " + e, e);
        }
    }

    private byte[] read() {
        copy(8); // magic, minor and major version
        int count = copyU2();
        utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = copyU1();
            switch (tag) {
                case 1 -> {
                    int length = copyU2();
                    byte[] bytes = new byte[length];
                    in.get(bytes);
                    out.writeBytes(bytes);
                    utf8[i] = new String(bytes, StandardCharsets.UTF_8); // modified UTF-8: enough for attribute names
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> copy(4);
                case 5, 6 -> {
                    copy(8);
                    i++; // a long or double takes two entries
                }
                case 7, 8, 16, 19, 20 -> copy(2);
                case 15 -> copy(3);
                default -> throw new IllegalArgumentException("constant pool tag " + tag);
            }
        }
        copy(6); // access flags, this class, super class
        copy(2 * copyU2()); // interfaces
        for (int members = 0; members < 2; members++) { // fields, then methods
            int n = copyU2();
            for (int m = 0; m < n; m++) {
                copy(6); // access flags, name, descriptor
                attributes();
            }
        }
        attributes();
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " bytes after the class");
        }
        return out.toByteArray();
    }

    private void attributes() {
        int n = copyU2();
        for (int a = 0; a < n; a++) {
            int nameIndex = copyU2();
            int length = in.getInt();
            String name = utf8[nameIndex];
            if (LINE_NUMBERS.equals(name)) {
                in.position(in.position() + length);
            } else if ("Code".equals(name)) {
                copy(4); // max stack, max locals
                int codeLength = in.getInt();
                out.writeBytes(ByteBuffer.allocate(4).putInt(codeLength).array());
                copy(codeLength);
                copy(8 * copyU2()); // exception table
                attributes();
            } else {
                out.writeBytes(ByteBuffer.allocate(4).putInt(length).array());
                copy(length);
            }
        }
    }

    private void copy(int n) {
        byte[] b = new byte[n];
        in.get(b);
        out.writeBytes(b);
    }

    private int copyU1() {
        int v = in.get() & 0xff;
        out.write(v);
        return v;
    }

    private int copyU2() {
        int v = in.getShort() & 0xffff;
        out.write(v >>> 8);
        out.write(v);
        return v;
    }
}
