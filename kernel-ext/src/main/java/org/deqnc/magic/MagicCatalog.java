package org.deqnc.magic;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The project's magics, each declared once as a {@link MagicSpec}. Installing the catalog registers
 * every spec with a kernel's {@link MagicsRegistry}, wrapping its action so that any failure becomes
 * a one-line {@link MagicException} naming the magic — in the bundled kernel and in stock JJava alike.
 */
public final class MagicCatalog {

    private static final MagicCatalog STANDARD = createStandard();

    private final Map<String, MagicSpec> specs = new LinkedHashMap<>();

    /** The catalog the {@code DeqNcExtension} installs. */
    public static MagicCatalog standard() {
        return STANDARD;
    }

    private static MagicCatalog createStandard() {
        MagicCatalog c = new MagicCatalog();
        c.add(DeqMagic.spec());
        c.add(SolveMagic.spec());
        c.add(NcMagic.spec());
        c.add(DatasetMagic.spec());
        c.add(PlotMagic.spec());
        c.add(ExperimentMagic.spec());
        c.add(SweepMagic.spec());
        c.add(HelpMagic.spec(c));
        return c;
    }

    public synchronized MagicCatalog add(MagicSpec spec) {
        specs.put(key(spec.kind(), spec.name()), spec);
        return this;
    }

    public synchronized Collection<MagicSpec> all() {
        return List.copyOf(specs.values());
    }

    public synchronized Optional<MagicSpec> find(MagicSpec.Kind kind, String name) {
        return Optional.ofNullable(specs.get(key(kind, name)));
    }

    /** Looks a magic up by name alone; a line magic wins over a cell magic of the same name. */
    public Optional<MagicSpec> find(String name) {
        return find(MagicSpec.Kind.LINE, name).or(() -> find(MagicSpec.Kind.CELL, name));
    }

    private static String key(MagicSpec.Kind kind, String name) {
        return kind.prefix + name;
    }

    /** Registers every spec with the kernel's magics registry. */
    public void installInto(BaseKernel kernel) {
        MagicsRegistry registry = kernel.getMagicsRegistry();
        for (MagicSpec spec : all()) {
            if (spec.kind() == MagicSpec.Kind.LINE) {
                registry.registerLineMagic(spec.name(), (BaseKernel k, List<String> args) -> {
                    try {
                        return spec.lineAction().run(k, NotebookValues.interpolate(k, spec.invocation(), args));
                    } catch (MagicException e) {
                        throw e;
                    } catch (Exception e) {
                        throw asMagicError(spec, e);
                    }
                });
            } else {
                registry.registerCellMagic(spec.name(), (BaseKernel k, List<String> args, String body) -> {
                    try {
                        return spec.cellAction().run(k, NotebookValues.interpolate(k, spec.invocation(), args),
                                NotebookValues.interpolate(k, spec.invocation(), body));
                    } catch (MagicException e) {
                        throw e;
                    } catch (Exception e) {
                        throw asMagicError(spec, e);
                    }
                });
            }
        }
    }

    private static RuntimeException asMagicError(MagicSpec spec, Exception e) {
        // An interrupt or a notebook error raised by nested Java code keeps its own identity.
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (e.getClass().getName().startsWith("org.deqnc.kernel.")) {
            return (RuntimeException) e;
        }
        return new MagicException(spec.invocation(), e);
    }

    /**
     * Completions for a line being typed that starts with {@code %} or {@code %%}: magic names while
     * the name is typed, then the spec's argument completer. {@code registryNames} adds magics that other
     * extensions registered without a spec.
     */
    public List<String> complete(String lineUpToCursor, Collection<String> registryNames) {
        boolean cell = lineUpToCursor.startsWith("%%");
        MagicSpec.Kind kind = cell ? MagicSpec.Kind.CELL : MagicSpec.Kind.LINE;
        String rest = lineUpToCursor.substring(kind.prefix.length());
        int space = rest.indexOf(' ');
        if (space < 0) {
            List<String> names = new ArrayList<>(registryNames);
            all().stream().filter(s -> s.kind() == kind).map(MagicSpec::name).forEach(names::add);
            return names.stream().distinct().filter(n -> n.startsWith(rest)).sorted().collect(Collectors.toList());
        }
        String name = rest.substring(0, space);
        List<String> args = MagicArgs.split(rest.substring(space + 1));
        boolean startingNewArg = lineUpToCursor.endsWith(" ");
        String prefix = startingNewArg || args.isEmpty() ? "" : args.get(args.size() - 1);
        List<String> previous = startingNewArg || args.isEmpty() ? args : args.subList(0, args.size() - 1);
        return find(kind, name)
                .map(s -> s.completer().complete(previous, prefix).stream()
                        .filter(c -> c.startsWith(prefix)).sorted(Comparator.naturalOrder()).collect(Collectors.toList()))
                .orElse(List.of());
    }
}
