package org.deqnc.kernel;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.Method;
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
