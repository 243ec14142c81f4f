package org.deqnc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;

import org.deqnc.engine.Engines;

/** The installable kernelspec starts the kernel's JVM with the process settings the library recommends. */
class KernelSpecTest {

    /**
     * glibc and oneDNN read these only at process start, so the kernelspec's {@code env} is the one place the kernel
     * can get them; a sweep's worker JVMs get {@link Engines#RECOMMENDED_ENVIRONMENT}, and the two must not drift.
     */
    @Test
    void kernelspecEnvironmentHoldsTheRecommendedProcessSettings() throws IOException {
        JsonObject env = JsonParser.parseString(Files.readString(Path.of("src/kernelspec/kernel.json")))
                .getAsJsonObject().getAsJsonObject("env");
        for (Map.Entry<String, String> e : Engines.RECOMMENDED_ENVIRONMENT.entrySet()) {
            assertEquals(e.getValue(), env.has(e.getKey()) ? env.get(e.getKey()).getAsString() : null,
                    "kernel.json env " + e.getKey());
        }
    }
}
