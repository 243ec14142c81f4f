package org.deqnc.kernel;

import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.channels.StdinChannel;
import org.dflib.jjava.jupyter.channels.IOPubChannel;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;

/**
 * jjava-jupyter names an error after the Java class of the exception that reached it, which for this
 * kernel is always its own {@link CellError}. This environment swaps in the user-facing name
 * (the user's exception class, "CompilationError", "Interrupted", …) the CellError carries, and
 * records each result in the kernel's history.
 */
final class KernelReplyEnvironment extends ShellReplyEnvironment {

    private final DeqKernel kernel;
    private volatile CellError cellError;
    private volatile int executionCount;

    KernelReplyEnvironment(ShellChannel shell, StdinChannel stdin, IOPubChannel iopub, MessageContext context, DeqKernel kernel) {
        super(shell, stdin, iopub, context);
        this.kernel = kernel;
    }

    void cellError(CellError e) {
        this.cellError = e;
    }

    void executionCount(int count) {
        this.executionCount = count;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends ContentType<T>> void publish(T content) {
        CellError e = cellError;
        if (content instanceof PublishError && e != null) {
            content = (T) new PublishError(e.ename(), e.evalue(), ((PublishError) content).getStacktrace());
        } else if (content instanceof PublishExecuteResult) {
            kernel.recordOutput(((PublishExecuteResult) content));
        }
        super.publish(content);
    }

    @Override
    public void replyError(MessageType<?> type, ErrorReply error) {
        CellError e = cellError;
        if (e != null) {
            ErrorReply named = new ErrorReply(e.ename(), e.evalue(), e.traceback());
            named.setExecutionCount(executionCount);
            error = named;
        }
        super.replyError(type, error);
    }
}
