package org.deqnc.solver;

import org.deqnc.config.DidYouMean;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The solver registry: built-ins {@code picard}, {@code anderson}, {@code broyden}, plus anything
 * users {@link #register}. Lookups of unknown names fail with a suggestion and the accepted names.
 *
 * <pre>{@code
 * Solver s = Solvers.get("anderson");
 * SolverResult r = s.solve(z -> z.cos(), z0, SolverOptions.builder().tol(1e-10).maxIter(100).build());
 * Solver robust = Solvers.chain(List.of("anderson", "broyden", "picard"));   // fallback chain
 * }</pre>
 */
public final class Solvers {

    private static final Map<String, Supplier<? extends Solver>> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put("picard", PicardSolver::new);
        REGISTRY.put("anderson", AndersonSolver::new);
        REGISTRY.put("broyden", BroydenSolver::new);
    }

    private Solvers() {
    }

    /**
     * Adds a solver under {@code name} (lower case letters, digits, '_' or '-'); names are never
     * replaced, so a typo cannot shadow a built-in.
     */
    public static synchronized void register(String name, Supplier<? extends Solver> factory) {
        Objects.requireNonNull(factory, "factory");
        if (name == null || !name.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException("solver name: must match [a-z][a-z0-9_-]*, got '" + name + "'");
        }
        if (REGISTRY.containsKey(name)) {
            throw new IllegalArgumentException("solver '" + name + "' is already registered");
        }
        REGISTRY.put(name, factory);
    }

    /** Registered names in registration order (built-ins first). */
    public static synchronized List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /** A new instance of the named solver. */
    public static synchronized Solver get(String name) {
        Supplier<? extends Solver> f = REGISTRY.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown solver '" + name + "'" + DidYouMean.hint(String.valueOf(name),
                    REGISTRY.keySet()) + "; accepted: " + String.join(", ", REGISTRY.keySet()));
        }
        return f.get();
    }

    /** The named solvers as a fallback chain (a single name gives that solver itself). */
    public static Solver chain(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("solver chain: must name at least one solver");
        }
        List<Solver> solvers = new ArrayList<>();
        for (String n : names) {
            solvers.add(get(n));
        }
        return solvers.size() == 1 ? solvers.get(0) : new FallbackSolver(solvers);
    }
}
