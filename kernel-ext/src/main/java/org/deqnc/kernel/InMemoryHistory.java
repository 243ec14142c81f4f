package org.deqnc.kernel;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** This session's cells for Jupyter's history requests (tail, range, glob search). Session 0 is the current one. */
final class InMemoryHistory implements HistoryManager {

    private final List<HistoryEntry> entries = new ArrayList<>();

    synchronized void add(int cellNumber, String input) {
        entries.add(new HistoryEntry(0, cellNumber, input, null));
    }

    synchronized void setOutput(int cellNumber, String output) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            HistoryEntry e = entries.get(i);
            if (e.getCellNumber() == cellNumber) {
                entries.set(i, new HistoryEntry(0, cellNumber, e.getInput(), output));
                return;
            }
        }
    }

    @Override
    public synchronized List<HistoryEntry> lookupRange(int sessionOffset, int startCell, int endCell, Set<ResultFlag> flags) {
        List<HistoryEntry> out = new ArrayList<>();
        if (sessionOffset != 0) {
            return out; // earlier sessions are not kept
        }
        for (HistoryEntry e : entries) {
            if (e.getCellNumber() >= startCell && e.getCellNumber() < endCell) {
                out.add(shape(e, flags));
            }
        }
        return out;
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        int from = Math.max(0, entries.size() - length);
        List<HistoryEntry> out = new ArrayList<>();
        for (HistoryEntry e : entries.subList(from, entries.size())) {
            out.add(shape(e, flags));
        }
        return out;
    }

    @Override
    public synchronized List<HistoryEntry> search(String pattern, int length, Set<ResultFlag> flags) {
        Pattern glob = Pattern.compile(globToRegex(pattern), Pattern.DOTALL);
        List<HistoryEntry> matches = new ArrayList<>();
        for (HistoryEntry e : entries) {
            if (glob.matcher(e.getInput()).matches()) {
                matches.add(e);
            }
        }
        if (flags.contains(ResultFlag.UNIQUE)) {
            Map<String, HistoryEntry> latest = new LinkedHashMap<>();
            for (HistoryEntry e : matches) {
                latest.remove(e.getInput());
                latest.put(e.getInput(), e);
            }
            matches = new ArrayList<>(latest.values());
        }
        int from = length > 0 ? Math.max(0, matches.size() - length) : 0;
        List<HistoryEntry> out = new ArrayList<>();
        for (HistoryEntry e : matches.subList(from, matches.size())) {
            out.add(shape(e, flags));
        }
        return out;
    }

    private static HistoryEntry shape(HistoryEntry e, Set<ResultFlag> flags) {
        if (flags.contains(ResultFlag.INCLUDE_OUTPUT)) {
            return new HistoryEntry(e.getSession(), e.getCellNumber(), e.getInput(), e.hasOutput() ? e.getOutput() : "");
        }
        return new HistoryEntry(e.getSession(), e.getCellNumber(), e.getInput(), null);
    }

    /** sqlite GLOB syntax (*, ?, [..], [^..]) as a Java regex. */
    static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        boolean inClass = false;
        for (char c : glob.toCharArray()) {
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
                re.append(c == '\\' ? "\\\\" : String.valueOf(c));
            } else if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                inClass = true;
                re.append('[');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
