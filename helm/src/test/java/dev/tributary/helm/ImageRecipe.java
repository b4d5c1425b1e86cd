package dev.tributary.helm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the root {@code Dockerfile}'s runtime stage says about the container: its entrypoint, its
 * environment, and where it puts the jar that {@code ./mvnw package} builds. No Docker engine runs in CI,
 * so the chart's pods are started from this recipe with the built jar instead of the image.
 */
record ImageRecipe(List<String> entrypoint, Map<String, String> environment, String jarPath) {

    private static final Pattern ENV = Pattern.compile("^ENV\\s+([A-Za-z_][A-Za-z0-9_]*)=\"([^\"]*)\"\\s*$");
    private static final Pattern JAR = Pattern.compile("^COPY\\s+--from=\\S+\\s+\\S*api/target/tributary\\.jar\\s+(\\S+)\\s*$");

    static ImageRecipe fromDockerfile() {
        Path dockerfile = Path.of(System.getProperty("tributary.dockerfile"));
        try {
            List<String> lines = Files.readAllLines(dockerfile);
            int runtimeStage = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("FROM ")) {
                    runtimeStage = i;
                }
            }
            List<String> entrypoint = null;
            Map<String, String> environment = new LinkedHashMap<>();
            String jar = null;
            for (String line : lines.subList(runtimeStage, lines.size())) {
                Matcher env = ENV.matcher(line);
                Matcher copy = JAR.matcher(line);
                if (line.startsWith("ENTRYPOINT ")) {
                    entrypoint = new ObjectMapper().readValue(line.substring("ENTRYPOINT ".length()),
                            new TypeReference<List<String>>() { });
                } else if (env.matches()) {
                    environment.put(env.group(1), env.group(2));
                } else if (copy.matches()) {
                    jar = copy.group(1);
                }
            }
            if (entrypoint == null || jar == null) {
                throw new AssertionError(dockerfile + ": its runtime stage needs an exec-form ENTRYPOINT and the jar COPY");
            }
            return new ImageRecipe(entrypoint, environment, jar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
