package org.deqnc.kernel;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;

/**
 * Runs JShell snippets in the kernel's own JVM, on the calling thread, and keeps the real object each
 * snippet evaluated to (JShell itself only reports its {@code toString}), so the kernel can hand it
 * to the renderers. Classes on the kernel's class path are shared with notebook code because the
 * snippet class loader delegates to the system class loader first.
 */
final class InProcessExecutionControl extends DirectExecutionControl {

    private final InterruptGate gate;
    private Object lastValue;
    /** The bytes of every class loaded, by name (JShell's wrapper names are unique), to compare a redefinition. */
    private final Map<String, byte[]> loaded = new java.util.concurrent.ConcurrentHashMap<>();

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
     * JShell recompiles a snippet when a later one may change what its names mean (an on-demand import, for one)
     * and asks to redefine its class; refused, it loads the class anew and a variable the snippet declared starts
     * over at null or zero: a notebook cell with two imports could wipe out earlier results. The recompiled class
     * then differs from the loaded one only in its line numbers (the imports are lines of JShell's wrapper). When
     * every class asked for has the loaded class's {@link ClassFileShape shape}, the code is the same and keeping
     * the loaded classes, with their values, is exact (also when JShell then runs the snippet again, as for a
     * declaration entered twice). Any other redefinition is refused as before.
     */
    @Override
    public void redefine(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        for (ClassBytecodes c : cbcs) {
            byte[] old = loaded.get(c.name());
            if (old == null || !Arrays.equals(shape(old), shape(c.bytecodes()))) {
                super.redefine(cbcs);
                return;
            }
        }
    }

    @Override
    public void load(ClassBytecodes[] cbcs) throws ClassInstallException, NotImplementedException, EngineTerminationException {
        super.load(cbcs);
        for (ClassBytecodes c : cbcs) {
            loaded.put(c.name(), c.bytecodes());
        }
    }

    private static byte[] shape(byte[] classFile) {
        try {
            return ClassFileShape.of(classFile);
        } catch (IllegalArgumentException e) {
            return classFile; // unreadable: compared byte for byte
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
