package io.kubeqpu.realcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs kubectl or helm with a kubeconfig and captures what it prints. */
public final class Cli {
    public record Result(String command, int exitCode, String stdout, String stderr) {
        public String all() {
            return stdout + stderr;
        }

        /** The result, failing with everything it printed when the command failed. */
        public Result ok() {
            if (exitCode != 0) throw new AssertionError(this.toString());
            return this;
        }

        @Override
        public String toString() {
            return "$ " + command + "\nexit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private Cli() {
    }

    static Result run(Path binary, List<String> args, Path kubeconfig, Path home, Map<String, String> env) {
        return run(binary, args, kubeconfig, home, env, null);
    }

    static Result run(Path binary, List<String> args, Path kubeconfig, Path home, Map<String, String> env, String stdin) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(args);
        String shown = binary.getFileName() + " " + String.join(" ", args);
        try {
            Path out = Files.createTempFile(home, "cli", ".out");
            Path err = Files.createTempFile(home, "cli", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            // kubectl's discovery cache and helm's config/cache stay in the test's directory.
            pb.environment().put("HOME", home.toString());
            pb.environment().putAll(env);
            if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(shown + " did not finish in 180 s");
            }
            Result r = new Result(shown, p.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(shown + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(shown + " interrupted", e);
        }
    }
}
