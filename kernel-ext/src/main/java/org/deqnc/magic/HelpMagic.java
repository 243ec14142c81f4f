package org.deqnc.magic;

import org.deqnc.config.DidYouMean;
import org.deqnc.render.Html;
import org.deqnc.render.TableRendering;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** {@code %help} lists every magic with its one-line summary; {@code %help NAME} shows one in full. */
final class HelpMagic {

    private HelpMagic() {
    }

    static MagicSpec spec(MagicCatalog catalog) {
        return MagicSpec.line("help")
                .syntax("%help [NAME]")
                .summary("List the magics, or show the full help of one (NAME with or without %).")
                .help("%help            one line per registered magic\n"
                        + "%help NAME       syntax and full description of one magic, e.g. %help deq or %help %%experiment")
                .completer((previous, prefix) -> previous.isEmpty()
                        ? catalog.all().stream().map(MagicSpec::name).distinct().toList()
                        : List.of())
                .runs((kernel, args) -> {
                    if (args.size() > 1) {
                        throw new MagicException("%help", "takes at most one NAME, got " + args.size() + " arguments: " + String.join(" ", args));
                    }
                    kernel.display(args.isEmpty() ? overview(catalog, kernel) : detail(catalog, args.get(0)));
                    return null;
                });
    }

    static DisplayData overview(MagicCatalog catalog, BaseKernel kernel) {
        List<List<String>> rows = new ArrayList<>();
        for (MagicSpec s : catalog.all()) {
            rows.add(List.of(s.invocation(), s.syntax(), s.summary()));
        }
        // Magics other extensions registered without a declaration still deserve a line.
        TreeSet<String> known = new TreeSet<>();
        catalog.all().forEach(s -> known.add(s.invocation()));
        kernel.getMagicsRegistry().getLineMagicNames().stream().map(n -> "%" + n).filter(known::add)
                .forEach(n -> rows.add(List.of(n, n, "(registered by another extension; no description)")));
        kernel.getMagicsRegistry().getCellMagicNames().stream().map(n -> "%%" + n).filter(known::add)
                .forEach(n -> rows.add(List.of(n, n, "(registered by another extension; no description)")));
        List<String> header = List.of("magic", "syntax", "summary");
        String caption = "deq-nc magics — %help NAME for details";
        return TableRendering.displayData(caption, header, rows);
    }

    static DisplayData detail(MagicCatalog catalog, String rawName) {
        String name = rawName.replaceFirst("^%%?", "");
        Optional<MagicSpec> spec = rawName.startsWith("%%")
                ? catalog.find(MagicSpec.Kind.CELL, name)
                : catalog.find(name);
        MagicSpec s = spec.orElseThrow(() -> {
            List<String> names = catalog.all().stream().map(MagicSpec::name).distinct().sorted().toList();
            String hint = DidYouMean.hint(name, names);
            return new MagicException("%help", "unknown magic '" + rawName + "'" + hint + "; accepted: " + String.join(", ", names));
        });
        String text = s.invocation() + " — " + s.summary() + "\n\nSyntax: " + s.syntax() + "\n\n" + s.help();
        DisplayData dd = new DisplayData(text);
        dd.putHTML("<div class=\"deq-help\"><h4><code>" + Html.escape(s.invocation()) + "</code> — " + Html.escape(s.summary())
                + "</h4><p>Syntax: <code>" + Html.escape(s.syntax()) + "</code></p><pre>" + Html.escape(s.help()) + "</pre></div>");
        return dd;
    }
}
