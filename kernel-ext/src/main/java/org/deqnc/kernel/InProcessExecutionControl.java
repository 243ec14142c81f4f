package org.deqnc.kernel;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs JShell snippets in the kernel's own JVM, on the calling thread, and keeps the real object each
 * snippet evaluated to (JShell itself only reports its {@code toString}), so the kernel can hand it
 * to the renderers. Classes on the kernel's class path are shared with notebook code because the
 * snippet class loader delegates to the system class loader first.
 */
final class InProcessExecutionControl extends DirectExecutionControl {

    /** The method of JShell's wrapper classes that runs a snippet (and a variable's initialiser). */
    private static final String DO_IT = "do_it$";

    private final InterruptGate gate;
    private Object lastValue;

    InProcessExecutionControl(InterruptGate gate) {
        this.gate = gate;
    }

    /** Runs the snippet's code, open to interrupts (JShell's compile around it is not: see {@link InterruptGate}). */
    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Object value = gate.open(() -> doitMethod.invoke(null));
        lastValue = value;
        return valueString(value);
    }

    /**
     * JShell recompiles a variable's snippet when a later one may change what its names mean (an on-demand import,
     * for one) and asks to redefine its class; refused, it loads the class anew and the variable starts over at
     * null or zero: a notebook cell with two imports could wipe out earlier results. The recompiled class usually
     * differs from the loaded one only in its line numbers (the import is one line more of JShell's wrapper). When
     * it is a variable's class with the same fields of the same types, the loaded class (and the value) is kept:
     * JShell never runs a variable's initialiser again, so nothing else could change. Any other redefinition is
     * refused as before.
     */
    @Override
    public void redefine(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        for (ClassBytecodes c : cbcs) {
            if (!sameVariables(c)) {
                super.redefine(cbcs);
                return;
            }
        }
    }

    private boolean sameVariables(ClassBytecodes c) {
        try {
            Class<?> loaded = findClass(c.name());
            Class<?> recompiled = new ProbeLoader(loaded.getClassLoader()).define(c.name(), c.bytecodes());
            return isVariableWrapper(recompiled) && fields(loaded).equals(fields(recompiled));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** A wrapper JShell makes for variable declarations: fields, and no methods but its initialiser and lambdas. */
    private static boolean isVariableWrapper(Class<?> c) {
        return c.getDeclaredFields().length > 0 && c.getDeclaredClasses().length == 0
                && Arrays.stream(c.getDeclaredMethods()).allMatch(m -> m.isSynthetic() || m.getName().equals(DO_IT));
    }

    /** Name, modifiers and type (the class itself, so a redefined type counts as a change) of every field. */
    private static List<List<Object>> fields(Class<?> c) {
        return Arrays.stream(c.getDeclaredFields())
                .map(f -> List.<Object>of(f.getName(), f.getModifiers(), f.getType(), f.getGenericType().getTypeName()))
                .sorted(java.util.Comparator.comparing(l -> (String) l.get(0)))
                .toList();
    }

    /** Defines a class only to look at it, beside the loaded one (another loader, so the same name is allowed). */
    private static final class ProbeLoader extends ClassLoader {
        ProbeLoader(ClassLoader parent) {
            super(parent);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }

    /** The value of the most recent snippet, then forgets it. */
    Object takeLastValue() {
        Object v = lastValue;
        lastValue = null;
        return v;
    }

    ExecutionControlProvider provider() {
        InProcessExecutionControl self = this;
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "deq-in-process";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return self;
            }
        };
    }
}
