package dev.tributary.helm;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A rendered release: its objects, found by kind and name, and its Secrets' data decoded. */
record Manifests(String text, List<Map<String, Object>> objects) {

    @SuppressWarnings("unchecked")
    static Manifests parse(String text) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(text)) {
            if (document != null) {
                objects.add((Map<String, Object>) document);
            }
        }
        return new Manifests(text, objects);
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Map<String, Object> get(String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(name(o))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered; rendered: " + names()));
    }

    List<String> names() {
        return objects.stream().map(o -> o.get("kind") + "/" + name(o)).toList();
    }

    /** The data of a rendered Secret, decoded; empty when the release renders no Secret of that name. */
    Map<String, String> secretData(String name) {
        Map<String, String> data = new LinkedHashMap<>();
        ofKind("Secret").stream().filter(s -> name.equals(name(s))).findFirst().ifPresent(secret -> {
            Map<String, Object> encoded = map(secret, "data");
            encoded.forEach((key, value) -> data.put(key,
                    new String(Base64.getDecoder().decode(String.valueOf(value)), StandardCharsets.UTF_8)));
        });
        return data;
    }

    static String name(Map<String, Object> object) {
        return String.valueOf(map(object, "metadata").get("name"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> object, String... path) {
        Object at = object;
        for (String member : path) {
            at = at == null ? null : ((Map<String, Object>) at).get(member);
        }
        return at == null ? Map.of() : (Map<String, Object>) at;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> object, String... path) {
        String last = path[path.length - 1];
        Object at = map(object, Arrays.copyOf(path, path.length - 1)).get(last);
        return at == null ? List.of() : (List<Map<String, Object>>) at;
    }

    /** The pod template of a Deployment or a Job. */
    static Map<String, Object> podSpec(Map<String, Object> workload) {
        return Objects.requireNonNull(map(workload, "spec", "template", "spec"));
    }
}
