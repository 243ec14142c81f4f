package org.deqnc.kernel;

import org.deqnc.engine.Engines;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code java -cp 'lib/*' org.deqnc.kernel.Main CONNECTION_FILE}: what the java-deq kernelspec runs. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp '<kernel dir>/lib/*' org.deqnc.kernel.Main CONNECTION_FILE");
            System.exit(2);
        }
        String json;
        try {
            json = Files.readString(Path.of(args[0]));
        } catch (NoSuchFileException e) {
            System.err.println("java-deq: connection file not found: " + args[0]);
            System.exit(2);
            return;
        }
        Engines.configureDefaults();
        DeqKernel kernel = DeqKernel.builder().build();
        DeqConnection connection = new DeqConnection(KernelConnectionProperties.parse(json), kernel);
        kernel.becomeHandlerForConnection(connection);
        kernel.onStartup();
        connection.connect();
        connection.waitUntilClose();
        System.exit(0);
    }
}
