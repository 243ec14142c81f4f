package org.deqnc.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

/**
 * The wire connection of the java-deq kernel: jjava-jupyter's heartbeat, stdin and iopub channels,
 * with {@link RobustShellChannel}s for shell and control (see there for why), and reply environments
 * that let the kernel name the user's exception class in error messages.
 */
final class DeqConnection extends JupyterConnection {

    private final KernelConnectionProperties props;
    private final ZMQ.Context shellContext = ZMQ.context(1);
    private final RobustShellChannel robustShell;
    private final RobustShellChannel robustControl;
    private final DeqKernel kernel;
    private boolean connected;

    DeqConnection(KernelConnectionProperties props, DeqKernel kernel) throws NoSuchAlgorithmException, InvalidKeyException {
        super(props);
        this.props = props;
        this.kernel = kernel;
        WireMessages wire = new WireMessages(props.createHMACGenerator());
        this.robustShell = new RobustShellChannel(shellContext, props.createHMACGenerator(), wire, false, this);
        this.robustControl = new RobustShellChannel(shellContext, props.createHMACGenerator(), wire, true, this);
    }

    @Override
    public synchronized void connect() {
        if (connected) {
            return;
        }
        heartbeat.bind(props);
        robustShell.bind(props);
        robustControl.bind(props);
        stdin.bind(props);
        iopub.bind(props);
        iopub.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
        connected = true;
        kernel.online();
    }

    @Override
    public ShellReplyEnvironment prepareReplyEnv(ShellChannel channel, MessageContext context) {
        return new KernelReplyEnvironment(channel, stdin, iopub, context, kernel);
    }

    @Override
    public void close() {
        robustShell.close();
        robustControl.close();
        super.close();
        shellContext.close();
    }

    @Override
    public void waitUntilClose() {
        robustShell.waitUntilClose();
        robustControl.waitUntilClose();
        super.waitUntilClose();
    }
}
