package org.deqnc.magic;

import org.dflib.jjava.jupyter.kernel.BaseKernel;

import java.util.List;
import java.util.Objects;

/**
 * One magic, declared once: its name, whether it is a line ({@code %name}) or cell ({@code %%name})
 * magic, its syntax, a one-line summary, long help, argument completion and the code that runs it.
 * {@code %help}, tab completion and Shift-Tab inspection all read this declaration.
 */
public final class MagicSpec {

    public enum Kind {
        LINE("%"), CELL("%%");

        public final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    /** Suggests values for the argument being typed, given the arguments before it. */
    @FunctionalInterface
    public interface ArgumentCompleter {
        List<String> complete(List<String> previousArgs, String prefix);

        ArgumentCompleter NONE = (previous, prefix) -> List.of();
    }

    @FunctionalInterface
    public interface LineAction {
        Object run(BaseKernel kernel, List<String> args) throws Exception;
    }

    @FunctionalInterface
    public interface CellAction {
        Object run(BaseKernel kernel, List<String> args, String body) throws Exception;
    }

    private final String name;
    private final Kind kind;
    private final String syntax;
    private final String summary;
    private final String help;
    private final ArgumentCompleter completer;
    private final LineAction lineAction;
    private final CellAction cellAction;

    private MagicSpec(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.kind = b.kind;
        this.syntax = Objects.requireNonNull(b.syntax, "syntax of %" + b.name);
        this.summary = Objects.requireNonNull(b.summary, "summary of %" + b.name);
        this.help = b.help == null ? b.summary : b.help;
        this.completer = b.completer;
        this.lineAction = b.lineAction;
        this.cellAction = b.cellAction;
        if ((kind == Kind.LINE) != (lineAction != null) || (kind == Kind.CELL) != (cellAction != null)) {
            throw new IllegalStateException(kind.prefix + name + ": needs exactly the action of its kind");
        }
    }

    public static Builder line(String name) {
        return new Builder(name, Kind.LINE);
    }

    public static Builder cell(String name) {
        return new Builder(name, Kind.CELL);
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** "%name" or "%%name". */
    public String invocation() {
        return kind.prefix + name;
    }

    public String syntax() {
        return syntax;
    }

    public String summary() {
        return summary;
    }

    public String help() {
        return help;
    }

    public ArgumentCompleter completer() {
        return completer;
    }

    LineAction lineAction() {
        return lineAction;
    }

    CellAction cellAction() {
        return cellAction;
    }

    public static final class Builder {
        private final String name;
        private final Kind kind;
        private String syntax;
        private String summary;
        private String help;
        private ArgumentCompleter completer = ArgumentCompleter.NONE;
        private LineAction lineAction;
        private CellAction cellAction;

        private Builder(String name, Kind kind) {
            this.name = name;
            this.kind = kind;
        }

        public Builder syntax(String syntax) {
            this.syntax = syntax;
            return this;
        }

        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        public Builder help(String help) {
            this.help = help;
            return this;
        }

        public Builder completer(ArgumentCompleter completer) {
            this.completer = completer;
            return this;
        }

        public MagicSpec runs(LineAction action) {
            this.lineAction = action;
            return new MagicSpec(this);
        }

        public MagicSpec runsCell(CellAction action) {
            this.cellAction = action;
            return new MagicSpec(this);
        }
    }
}
