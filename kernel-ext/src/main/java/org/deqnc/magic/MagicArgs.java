package org.deqnc.magic;

import java.util.ArrayList;
import java.util.List;

/** Splits a magic's argument text the way JJava does: on whitespace; double quotes group; backslash escapes. */
public final class MagicArgs {

    private MagicArgs() {
    }

    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
                any = true;
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unbalanced double quote in: " + text.strip());
        }
        if (any) {
            out.add(cur.toString());
        }
        return out;
    }
}
