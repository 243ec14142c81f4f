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
import org.dflib.jjava.jupyter.messages.reply.HistoryReply;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;
import com.google.gson.annotations.SerializedName;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.Message;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * jjava-jupyter's kernel_info and history replies lack the {@code status} field that message
     * spec 5 requires (clients validating replies reject them); these carry it.
     */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T extends ContentType<T>> void reply(T content) {
        if (content instanceof KernelInfoReply && !(content instanceof OkKernelInfoReply)) {
            KernelInfoReply r = (KernelInfoReply) content;
            content = (T) new OkKernelInfoReply(r);
        } else if (content instanceof HistoryReply) {
            MessageType raw = MessageType.HISTORY_REPLY;
            super.reply(new Message<Object>(getContext(), (MessageType<Object>) raw, new HistoryContent((HistoryReply) content)));
            return;
        }
        super.reply(content);
    }

    static final class OkKernelInfoReply extends KernelInfoReply {
        @SerializedName("status")
        private final String status = "ok";

        OkKernelInfoReply(KernelInfoReply r) {
            super(r.getProtocolVersion(), r.getImplementationName(), r.getImplementationVersion(),
                    r.getLangInfo(), r.getBanner(), r.getHelpLinks());
        }
    }

    /**
     * A history reply as the spec writes it: entries are [session, line, input] or
     * [session, line, [input, output]] arrays (jjava-jupyter registers its entry adapter only for
     * reading, so its own replies would send objects).
     */
    static final class HistoryContent {
        @SerializedName("status")
        private final String status = "ok";
        @SerializedName("history")
        private final List<List<Object>> history = new ArrayList<>();

        HistoryContent(HistoryReply r) {
            for (HistoryEntry e : r.getHistory()) {
                Object io = e.hasOutput() ? List.of(e.getInput(), e.getOutput()) : e.getInput();
                history.add(List.of(e.getSession(), e.getCellNumber(), io));
            }
        }
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
