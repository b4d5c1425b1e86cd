package dev.tributary.helm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.tributary.helm.Manifests.list;
import static dev.tributary.helm.Manifests.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every rendering of the chart — the default values (with the database and key they need) and each test
 * values file — validated offline against the Kubernetes API's schemas, failing on unknown fields; and no
 * secret value anywhere but in a Secret.
 */
class RenderedManifestsTest {

    static final Path VALIDATOR = Path.of(System.getProperty("tributary.validator"));

    /** Each rendering by the values it came from. */
    static Map<String, Manifests> renderings() {
        Map<String, Manifests> renderings = new LinkedHashMap<>();
        renderings.put("default values", Helm.render(List.of(), "--set", "secrets.databaseUrl=jdbc:postgresql://db:5432/t",
                "--set", "secrets.databaseUsername=tributary_service", "--set", "secrets.databasePassword=default-password",
                "--set", "secrets.masterKey=3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        for (Path values : Helm.ciValues()) {
            renderings.put(values.getFileName().toString(), Helm.render(List.of(values)));
        }
        return renderings;
    }

    @Test
    void everyRenderedObjectValidatesAgainstTheKubernetesSchemas(@TempDir Path work) throws Exception {
        List<String> files = new ArrayList<>();
        for (var rendering : renderings().entrySet()) {
            Path file = work.resolve(rendering.getKey().replace(' ', '-') + ".yaml");
            Files.writeString(file, rendering.getValue().text());
            files.add(file.toString());
        }
        var result = validate(files);
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains(" 0 problems"), result.output());
    }

    @Test
    void theValidatorRefusesAnUnknownFieldAndAWrongType(@TempDir Path work) throws Exception {
        Manifests rendering = Helm.render(List.of(Helm.CHART.resolve("ci/three-node-cluster-values.yaml")));
        Map<String, Object> deployment = new LinkedHashMap<>(rendering.get("Deployment", Helm.RELEASE));
        list(Manifests.podSpec(deployment), "containers").get(0).put("imagePullPolcy", "Always");
        map(deployment, "spec").put("replicas", "3");
        Path file = work.resolve("broken.yaml");
        Files.writeString(file, new Yaml().dump(deployment));

        var result = validate(List.of(file.toString()));
        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("'\"imagePullPolcy\"' does not exist in type 'IContainer'"), result.output());
        assertTrue(result.output().contains("data/spec/replicas must be integer"), result.output());
    }

    @Test
    void noSecretValueIsRenderedOutsideASecret() {
        for (var rendering : renderings().entrySet()) {
            Manifests release = rendering.getValue();
            List<String> secretValues = new ArrayList<>();
            for (var secret : release.ofKind("Secret")) {
                release.secretData(Manifests.name(secret)).values().stream().filter(v -> v.length() >= 8)
                        .forEach(secretValues::add);
            }
            for (var object : release.objects()) {
                if ("Secret".equals(object.get("kind"))) {
                    continue;
                }
                String text = new Yaml().dump(object);
                for (String value : secretValues) {
                    String where = rendering.getKey() + ": " + object.get("kind") + "/" + Manifests.name(object);
                    assertFalse(text.contains(value), where + " contains a secret value");
                    assertFalse(text.contains(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))),
                            where + " contains a secret value, base64-encoded");
                }
            }
        }
    }

    static Helm.Result validate(List<String> files) {
        List<String> command = new ArrayList<>(List.of("node", VALIDATOR.toString()));
        command.addAll(files);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("the validator did not finish");
            }
            return new Helm.Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
