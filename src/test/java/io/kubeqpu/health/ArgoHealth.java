package io.kubeqpu.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Argo CD health scripts of config/health under a real Lua 5.1 interpreter (Argo CD's gopher-lua implements
 * Lua 5.1), the way Argo CD does: the object as the global {@code obj}, the script's returned table as the health.
 */
public final class ArgoHealth {
    public static final Path DIR = Path.of("config/health/quantum.kubeqpu.io");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Health(String status, String message) {}

    private ArgoHealth() {}

    /** lua5.1 from $LUA, the PATH or /usr/bin (Debian package lua5.1), if installed. */
    public static Optional<Path> lua() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("LUA")).map(Path::of).ifPresent(candidates::add);
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            if (!dir.isBlank()) candidates.add(Path.of(dir, "lua5.1"));
        candidates.add(Path.of("/usr/bin/lua5.1"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    public static Path script(String kind) {
        return DIR.resolve(kind).resolve("health.lua");
    }

    /** The health of {@code object} (any Jackson-serializable value, e.g. a fabric8 resource) by its kind's script. */
    public static Health of(Path lua, String kind, Object object) {
        return run(lua, script(kind), JSON.valueToTree(object));
    }

    public static Health ofYaml(Path lua, String kind, Path yaml) throws IOException {
        return run(lua, script(kind), YAML.readTree(yaml.toFile()));
    }

    static Health run(Path lua, Path script, JsonNode object) {
        try {
            Path runner = Files.createTempFile("health", ".lua");
            Files.writeString(runner, "obj = " + table(object) + "\nlocal hs = dofile(\"" + script.toAbsolutePath()
                    + "\")\nio.write(tostring(hs.status), \"\\n\", tostring(hs.message))\n", StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(lua.toString(), runner.toString()).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("lua5.1 did not finish in 20 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Files.deleteIfExists(runner);
            if (p.exitValue() != 0) throw new IllegalStateException("lua5.1 failed on " + script + ":\n" + out);
            int nl = out.indexOf('\n');
            return new Health(out.substring(0, nl), out.substring(nl + 1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A JSON value as a Lua table constructor: null is nil (absent), arrays count from 1, as Argo CD converts it. */
    static String table(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return "nil";
        if (n.isBoolean()) return n.asText();
        if (n.isNumber()) return n.numberValue().toString();
        if (n.isTextual()) return quote(n.asText());
        StringBuilder b = new StringBuilder("{");
        if (n.isArray()) {
            for (JsonNode e : n) b.append(table(e)).append(',');
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) continue;
                b.append('[').append(quote(e.getKey())).append("]=").append(table(e.getValue())).append(',');
            }
        }
        return b.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) b.append(String.format("\\%03d", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
