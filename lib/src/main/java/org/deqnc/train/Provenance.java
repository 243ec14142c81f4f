package org.deqnc.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ai.djl.engine.Engine;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.deqnc.engine.Engines;

/**
 * The JSON provenance record of a run ({@value #FILE}): configuration, seed, git commit, Java/DJL/PyTorch
 * versions, start and end times, status, and the wall time of every epoch (kept out of the metrics CSV so that
 * file stays byte-identical between runs). Rewritten atomically after every epoch; a resumed run keeps the
 * original start time and epoch times and appends its resume time.
 */
final class Provenance {

    static final String FILE = "provenance.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().serializeSpecialFloatingPointValues()
            .create();

    private final Experiment experiment;
    private final String startTime;
    private final List<Double> epochSeconds;
    private final List<String> resumedAt;

    private Provenance(Experiment experiment, String startTime, List<Double> epochSeconds, List<String> resumedAt) {
        this.experiment = experiment;
        this.startTime = startTime;
        this.epochSeconds = epochSeconds;
        this.resumedAt = resumedAt;
    }

    static Provenance start(Experiment e) {
        return new Provenance(e, Instant.now().toString(), new ArrayList<>(), new ArrayList<>());
    }

    /** Continues the record in {@code dir} (if readable) for a resume after {@code epochsDone} epochs. */
    static Provenance resume(Experiment e, Path dir, int epochsDone) {
        Provenance p = start(e);
        Path file = dir.resolve(FILE);
        if (Files.isRegularFile(file)) {
            try {
                JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
                List<Double> secs = new ArrayList<>();
                o.getAsJsonArray("epoch_seconds").forEach(x -> secs.add(x.getAsDouble()));
                List<String> resumed = new ArrayList<>();
                o.getAsJsonArray("resumed_at").forEach(x -> resumed.add(x.getAsString()));
                p = new Provenance(e, o.get("start_time").getAsString(),
                        new ArrayList<>(secs.subList(0, Math.min(epochsDone, secs.size()))), resumed);
            } catch (IOException | RuntimeException ex) {
                // an unreadable record only loses history; the checkpoint alone defines the run
                p = start(e);
            }
        }
        p.resumedAt.add(Instant.now().toString());
        return p;
    }

    void epochDone(double seconds) {
        epochSeconds.add(seconds);
    }

    /** Writes the record with {@code status} (running, completed, interrupted) and, unless running, an end time. */
    void write(Path dir, String status, int epochsDone) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", experiment.name());
        o.put("status", status);
        o.put("epochs_done", epochsDone);
        o.put("seed", experiment.seed());
        o.put("config", experiment.asConfig().asText());
        o.put("config_text", experiment.toString());
        o.put("git_commit", GitCommit.VALUE);
        o.put("java_version", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        o.put("djl_version", Engine.getDjlVersion());
        o.put("pytorch_version", Engines.pytorch().getVersion());
        o.put("engine", Engines.describe());
        o.put("process_environment", Engines.processEnvironment());
        o.put("start_time", startTime);
        o.put("end_time", status.equals("running") ? null : Instant.now().toString());
        o.put("resumed_at", resumedAt);
        o.put("epoch_seconds", epochSeconds);
        AtomicFiles.writeString(dir.resolve(FILE), GSON.toJson(o) + "\n");
    }

    /** {@code git rev-parse HEAD} of the working directory, once per JVM; "unknown" when git cannot tell. */
    private static final class GitCommit {
        static final String VALUE = read();

        private static String read() {
            try {
                Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                boolean done = p.waitFor(5, TimeUnit.SECONDS);
                return done && p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : "unknown";
            } catch (IOException e) {
                return "unknown";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "unknown";
            }
        }
    }
}
