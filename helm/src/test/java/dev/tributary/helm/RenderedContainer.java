package dev.tributary.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.tributary.helm.Manifests.list;
import static dev.tributary.helm.Manifests.map;

/**
 * The first container of a rendered pod, as the kubelet would start it — the image's entrypoint with the
 * container's command and args, the image's environment with the container's, each {@code secretKeyRef}
 * and {@code envFrom} read from the Secrets the release renders, the downward API's pod name, its ConfigMap
 * volumes — but as a local process running the built jar, in a directory of its own where the ConfigMaps
 * are written at their mount paths (a setting naming a mounted file is pointed there), with the
 * container's ports and probes.
 */
record RenderedContainer(String podName, Path directory, List<String> command, Map<String, String> environment,
                         Map<String, Integer> ports, Map<String, Probe> probes) {

    static final Path JAR = Path.of(System.getProperty("tributary.jar"));

    record Probe(String path, int port) {
    }

    static RenderedContainer of(Manifests release, Map<String, Object> workload, String podName) throws IOException {
        ImageRecipe image = ImageRecipe.fromDockerfile();
        Map<String, Object> pod = Manifests.podSpec(workload);
        Map<String, Object> container = list(pod, "containers").get(0);
        Path directory = Files.createTempDirectory(podName);
        Map<String, Path> mounts = mountConfigMaps(release, pod, container, directory);

        List<String> command = new ArrayList<>(stringList(container.get("command")));
        if (command.isEmpty()) {
            command.addAll(image.entrypoint());
        }
        command.addAll(stringList(container.get("args")));
        if (!command.get(0).equals("java")) {
            throw new AssertionError("the container runs " + command.get(0) + ", not the image's java");
        }
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.replaceAll(word -> word.equals(image.jarPath()) ? JAR.toString() : word);

        Map<String, String> environment = new LinkedHashMap<>(image.environment());
        for (Map<String, Object> source : list(container, "envFrom")) {
            String secret = String.valueOf(map(source, "secretRef").get("name"));
            Map<String, String> data = release.secretData(secret);
            if (data.isEmpty()) {
                throw new AssertionError("envFrom names Secret " + secret + ", which the release does not render");
            }
            environment.putAll(data);
        }
        for (Map<String, Object> variable : list(container, "env")) {
            String name = String.valueOf(variable.get("name"));
            if (variable.containsKey("value")) {
                String value = String.valueOf(variable.get("value"));
                for (var mount : mounts.entrySet()) {
                    if (value.startsWith(mount.getKey() + "/")) {
                        value = mount.getValue() + value.substring(mount.getKey().length());
                    }
                }
                environment.put(name, value);
                continue;
            }
            Map<String, Object> secretKey = map(variable, "valueFrom", "secretKeyRef");
            Map<String, Object> field = map(variable, "valueFrom", "fieldRef");
            if (!secretKey.isEmpty()) {
                String value = release.secretData(String.valueOf(secretKey.get("name"))).get(String.valueOf(secretKey.get("key")));
                if (value != null) {
                    environment.put(name, value);
                } else if (!Boolean.TRUE.equals(secretKey.get("optional"))) {
                    throw new AssertionError(name + " needs key " + secretKey.get("key") + " of Secret "
                            + secretKey.get("name") + ", which the release does not render");
                }
            } else if ("metadata.name".equals(field.get("fieldPath"))) {
                environment.put(name, podName);
            } else {
                throw new AssertionError("no way to resolve " + variable + " outside a cluster");
            }
        }

        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Map<String, Object> port : list(container, "ports")) {
            ports.put(String.valueOf(port.get("name")), (Integer) port.get("containerPort"));
        }
        Map<String, Probe> probes = new LinkedHashMap<>();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Map<String, Object> httpGet = map(container, probe, "httpGet");
            if (!httpGet.isEmpty()) {
                Object port = httpGet.get("port");
                probes.put(probe, new Probe(String.valueOf(httpGet.get("path")),
                        port instanceof Integer number ? number : ports.get(String.valueOf(port))));
            }
        }
        return new RenderedContainer(podName, directory, List.copyOf(command), Map.copyOf(environment), ports, probes);
    }

    /** Writes each ConfigMap volume's files under the pod's directory; returns the local path of each mount path. */
    private static Map<String, Path> mountConfigMaps(Manifests release, Map<String, Object> pod,
                                                     Map<String, Object> container, Path directory) throws IOException {
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (Map<String, Object> mount : list(container, "volumeMounts")) {
            var volume = list(pod, "volumes").stream().filter(v -> v.get("name").equals(mount.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no volume " + mount.get("name")));
            Map<String, Object> configMap = map(volume, "configMap");
            if (configMap.isEmpty()) {
                continue;
            }
            String mountPath = String.valueOf(mount.get("mountPath"));
            Path local = directory.resolve(mountPath.substring(1));
            Files.createDirectories(local);
            var data = map(release.get("ConfigMap", String.valueOf(configMap.get("name"))), "data");
            for (var file : data.entrySet()) {
                Files.writeString(local.resolve(file.getKey()), String.valueOf(file.getValue()));
            }
            mounts.put(mountPath, local);
        }
        return mounts;
    }

    /** Starts the container as a process with only its own environment, as in a pod; output goes to files. */
    Running start() {
        try {
            var builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectOutput(directory.resolve("stdout.log").toFile())
                    .redirectError(directory.resolve("stderr.log").toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            return new Running(this, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> stringList(Object value) {
        return value == null ? List.of() : ((List<?>) value).stream().map(String::valueOf).toList();
    }

    /** A started container. */
    record Running(RenderedContainer container, Process process) implements AutoCloseable {

        int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(container.podName() + " still running after " + timeout + "\n" + logs());
            }
            return process.exitValue();
        }

        String logs() {
            try {
                return "stderr:\n" + Files.readString(container.directory().resolve("stderr.log"))
                        + "\nstdout:\n" + Files.readString(container.directory().resolve("stdout.log"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
