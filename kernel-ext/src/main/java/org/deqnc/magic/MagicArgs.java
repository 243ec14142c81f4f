package org.deqnc.magic;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a magic's argument text the way JJava does: on whitespace; double quotes group; backslash
 * escapes. A {@code ${expression}} is kept verbatim, so Java string literals inside it keep their quotes.
 */
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
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{' && text.indexOf('}', i) > 0) {
                int end = text.indexOf('}', i);
                cur.append(text, i, end + 1);
                i = end;
                any = true;
            } else if (c == '\\' && i + 1 < text.length()) {
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
