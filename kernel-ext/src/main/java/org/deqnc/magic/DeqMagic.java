package org.deqnc.magic;

import org.deqnc.config.Config;
import org.deqnc.deq.DeqConfig;
import org.deqnc.render.TableRendering;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.ArrayList;
import java.util.List;

/** {@code %deq [VAR] key=value …}: a {@link DeqConfig} from the arguments, shown as its effective configuration. */
final class DeqMagic {

    private DeqMagic() {
    }

    static MagicSpec spec() {
        MagicSpec.ArgumentCompleter keys = KeyValues.completer(DeqConfig.SCHEMA);
        return MagicSpec.line("deq")
                .syntax("%deq [VAR] key=value ...")
                .summary("Configure a DEQ (DeqConfig): shows every key's effective value; VAR keeps the config in the notebook.")
                .help("Same keys, defaults and errors as DeqConfig.parse(\"key=value ...\") in Java.\n"
                        + "VAR (optional, first): a notebook variable that receives the DeqConfig.\n"
                        + "Example: %deq cfg cell=mlp hidden=256 solver=anderson m=5 tol=1e-4 max_iter=30 backward=implicit\n\n"
                        + DeqConfig.SCHEMA.help())
                .completer(keys)
                .runs((kernel, args) -> {
                    boolean named = !args.isEmpty() && !args.get(0).contains("=");
                    if (named && DeqConfig.SCHEMA.keys().stream().anyMatch(k -> k.name().equals(args.get(0)))) {
                        // "%deq hidden" is far likelier a forgotten "=value" than a variable meant to be called hidden
                        throw new MagicException("%deq", "VAR: '" + args.get(0) + "' is a key of %deq; write "
                                + args.get(0) + "=VALUE, or give the variable another name");
                    }
                    List<String> pairs = named ? args.subList(1, args.size()) : args;
                    DeqConfig config = DeqConfig.of(KeyValues.pairs("%deq", DeqConfig.SCHEMA, pairs));
                    if (named) {
                        NotebookValues.define(kernel, "%deq", "VAR", args.get(0), DeqConfig.class, config);
                    }
                    kernel.display(displayData(config, named ? args.get(0) : null));
                    return null;
                });
    }

    static DisplayData displayData(DeqConfig config, String variable) {
        Config c = config.asConfig();
        List<List<String>> rows = new ArrayList<>();
        c.asText().forEach((k, v) -> rows.add(List.of(k, v, c.isDefault(k) ? "default" : "set")));
        String caption = "DEQ configuration" + (variable == null ? "" : " → " + variable);
        List<String> header = List.of("key", "value", "source");
        return TableRendering.displayData(caption, header, rows);
    }
}
