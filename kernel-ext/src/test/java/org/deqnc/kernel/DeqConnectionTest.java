package org.deqnc.kernel;

import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connection's part in the kernel's start: binding its channels puts the kernel online. */
class DeqConnectionTest {

    @Test
    void bindingTheChannelsPutsTheKernelOnlineAndStartsWhatWaitedForIt() throws Exception {
        DeqKernel kernel = DeqKernel.builder().build();
        List<String> ran = new CopyOnWriteArrayList<>();
        kernel.whenOnline(() -> ran.add("preload"));
        DeqConnection connection = new DeqConnection(properties(), kernel);
        try {
            assertFalse(kernel.javaStarted(), "JShell waits for the channels");
            assertEquals(List.of(), ran);
            connection.connect();
            assertTrue(kernel.javaStarted(), "connect() put the kernel online");
            assertEquals(List.of("preload"), ran);
        } finally {
            connection.close();
            kernel.java().close();
        }
    }

    /** Five free local ports (free when asked; nothing else here binds them in between). */
    private static KernelConnectionProperties properties() throws IOException {
        int[] ports = new int[5];
        for (int i = 0; i < ports.length; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                ports[i] = s.getLocalPort();
            }
        }
        return new KernelConnectionProperties("127.0.0.1", ports[0], ports[1], ports[2], ports[3], ports[4], "tcp",
                "hmac-sha256", "test-key");
    }
}
