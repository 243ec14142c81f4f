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

import java.util.ArrayList;
import java.util.List;

/**
 * A shell/control channel that survives bad messages and answers promptly.
 *
 * <p>jjava-jupyter's own {@link ShellChannel} lets a message with a wrong HMAC signature throw out of
 * its polling loop, which ends the channel (the kernel then ignores every later request), and it
 * sleeps 50 ms between polls, which adds up to 50 ms to every round trip. This one blocks in
 * {@code poll} with a timeout instead, reads each multipart message whole before parsing it, and
 * drops (and logs) any message {@link WireMessages} refuses, so a malformed or replayed message
 * never touches the routing identities or frames of the next one.
 */
final class RobustShellChannel extends ShellChannel {

    private static final Logger LOG = LoggerFactory.getLogger(RobustShellChannel.class);
    private static final long POLL_TIMEOUT_MS = 100;
    /** More frames than any request needs; the rest of a longer message is read and discarded. */
    private static final int MAX_FRAMES = 4096;

    private final boolean isControl;
    private final JupyterConnection connection;
    private final WireMessages wire;
    private volatile Thread loop;
    private volatile boolean running;

    /** {@code wire} is shared by the shell and control channels, so a message replayed on the other one is refused too. */
    RobustShellChannel(ZMQ.Context context, HMACGenerator hmac, WireMessages wire, boolean isControl, JupyterConnection connection) {
        super(context, hmac, isControl, connection);
        this.isControl = isControl;
        this.connection = connection;
        this.wire = wire;
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
                    message = wire.parse(readFrames());
                } catch (WireMessages.Refused e) {
                    LOG.warn("dropped a message on the {} channel: {}", isControl ? "control" : "shell", e.getMessage());
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

    /** Every frame of the next multipart message (at most {@link #MAX_FRAMES} kept). */
    private synchronized List<byte[]> readFrames() throws WireMessages.Refused {
        List<byte[]> frames = new ArrayList<>();
        int count = 0;
        do {
            byte[] frame = recv();
            if (frame == null) {
                throw new WireMessages.Refused("receive failed after " + count + " frame(s)");
            }
            if (++count <= MAX_FRAMES) {
                frames.add(frame);
            }
        } while (hasReceiveMore());
        if (count > MAX_FRAMES) {
            throw new WireMessages.Refused(count + " frames, more than " + MAX_FRAMES);
        }
        return frames;
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
