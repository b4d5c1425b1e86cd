package dev.tributary.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every value in values.yaml is typed in values.schema.json and has a row in the chart README's table. */
class ChartDocumentationTest {

    @Test
    void everyValueIsInTheSchemaAndTheReadme() throws Exception {
        Map<String, Object> values = Manifests.parse(ChartRenderingTest.read(Helm.CHART.resolve("values.yaml"))).objects().get(0);
        JsonNode schema = new ObjectMapper().readTree(Helm.CHART.resolve("values.schema.json").toFile());
        String readme = ChartRenderingTest.read(Helm.CHART.resolve("README.md"));
        List<String> paths = new ArrayList<>();
        leaves("", values, paths);
        assertTrue(paths.size() > 50, paths.toString());

        List<String> untyped = paths.stream().filter(path -> typeOf(schema, path) == null).toList();
        assertEquals(List.of(), untyped, "values without a type in values.schema.json");
        List<String> undocumented = paths.stream().filter(path -> !readme.contains("| `" + path + "` |")).toList();
        assertEquals(List.of(), undocumented, "values without a row in helm/tributary/README.md");
        assertEquals(false, schema.get("additionalProperties").asBoolean(true), "unknown top-level values are refused");
    }

    @SuppressWarnings("unchecked")
    private static void leaves(String prefix, Map<String, Object> map, List<String> paths) {
        map.forEach((key, value) -> {
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> nested && !nested.isEmpty()) {
                leaves(path, (Map<String, Object>) nested, paths);
            } else {
                paths.add(path);
            }
        });
    }

    private static String typeOf(JsonNode schema, String path) {
        JsonNode at = schema;
        for (String member : path.split("\\.")) {
            JsonNode next = at.path("properties").path(member);
            if (next.isMissingNode()) {
                next = at.path("additionalProperties");
            }
            if (!next.isObject()) {
                return null;
            }
            at = next;
        }
        return at.has("type") ? at.get("type").toString() : null;
    }
}
