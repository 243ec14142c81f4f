package org.deqnc.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

/**
 * A shell/control channel that survives bad messages and answers promptly.
 *
 * <p>jjava-jupyter's own {@link ShellChannel} lets a message with a wrong HMAC signature throw out of
 * its polling loop, which ends the channel (the kernel then ignores every later request), and it
 * sleeps 50 ms between polls, which adds up to 50 ms to every round trip. This one blocks in
 * {@code poll} with a timeout instead, and drops (and logs) any message it cannot read.
 */
final class RobustShellChannel extends ShellChannel {

    private static final Logger LOG = LoggerFactory.getLogger(RobustShellChannel.class);
    private static final long POLL_TIMEOUT_MS = 100;

    private final boolean isControl;
    private final JupyterConnection connection;
    private volatile Thread loop;
    private volatile boolean running;

    RobustShellChannel(ZMQ.Context context, HMACGenerator hmac, boolean isControl, JupyterConnection connection) {
        super(context, hmac, isControl, connection);
        this.isControl = isControl;
        this.connection = connection;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void bind(KernelConnectionProperties props) {
        if (loop != null) {
            throw new IllegalStateException((isControl ? "control" : "shell") + " channel already bound");
        }
        int port = isControl ? props.getControlPort() : props.getShellPort();
        super.bind(formatAddress(props.getTransport(), props.getIp(), port));
        ZMQ.Poller poller = ctx.poller(1);
        poller.register(this, ZMQ.Poller.POLLIN);
        running = true;
        Thread t = new Thread(() -> {
            while (running && !Thread.currentThread().isInterrupted()) {
                if (poller.poll(POLL_TIMEOUT_MS) <= 0) {
                    continue;
                }
                Message<?> message;
                try {
                    message = readMessage();
                } catch (RuntimeException e) {
                    // Wrong signature, malformed JSON, unknown type: drop it, keep serving.
                    LOG.warn("dropped an unreadable message on the {} channel: {}", isControl ? "control" : "shell", e.getMessage());
                    continue;
                }
                ShellHandler handler = connection.getHandler(message.getHeader().getType());
                if (handler == null) {
                    LOG.warn("unhandled message type {}", message.getHeader().getType().getName());
                    continue;
                }
                ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
                try {
                    handler.handle(env, message);
                } catch (Exception e) {
                    LOG.warn("error handling {}: {}", message.getHeader().getType().getName(), e.toString());
                } finally {
                    env.resolveDeferrals();
                }
                if (env.isMarkedForShutdown()) {
                    running = false;
                    connection.close();
                }
            }
        }, isControl ? "deq-control" : "deq-shell");
        t.setDaemon(true);
        loop = t;
        t.start();
    }

    @Override
    public void close() {
        running = false;
        super.close();
    }

    @Override
    public void waitUntilClose() {
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
