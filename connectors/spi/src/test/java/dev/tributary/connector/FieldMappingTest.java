package dev.tributary.connector;

import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.json.CanonicalJson;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldMappingTest {

    private static final String CUSTOMER = """
            {"id": "cus_1", "email": "ann@example.com", "name": null,
             "address": {"city": "Lyon", "lines": ["1 rue A", "2e étage"]},
             "a/b": "slash", "m~n": "tilde", "metadata": {"plan": "gold"}}""";

    private static FieldMapping parse(Map<String, Object> mapping) throws ConfigInvalid {
        return FieldMapping.parse(mapping, "field_mapping");
    }

    private static Map<String, Object> constant(Object value) {
        Map<String, Object> constant = new HashMap<>();
        constant.put("const", value);
        return constant;
    }

    @Test
    void pointersTakeTopLevelAndNestedValuesIncludingArrayElementsAndContainers() throws Exception {
        var mapping = parse(Map.of("email", "/email", "city", "/address/city", "line2", "/address/lines/1",
                "address", "/address", "plan", "/metadata/plan"));
        assertEquals("{\"address\":{\"city\":\"Lyon\",\"lines\":[\"1 rue A\",\"2e étage\"]},\"city\":\"Lyon\","
                + "\"email\":\"ann@example.com\",\"line2\":\"2e étage\",\"plan\":\"gold\"}", mapping.apply(CUSTOMER));
    }

    @Test
    void rfc6901EscapesNameSlashesAndTildes() throws Exception {
        var mapping = parse(Map.of("slash", "/a~1b", "tilde", "/m~0n"));
        assertEquals("{\"slash\":\"slash\",\"tilde\":\"tilde\"}", mapping.apply(CUSTOMER));
    }

    @Test
    void aPointerThatFindsNothingOrNullLeavesTheFieldOut() throws Exception {
        var mapping = parse(Map.of("email", "/email", "name", "/name", "phone", "/phone", "zip", "/address/zip",
                "third", "/address/lines/2", "deeper", "/email/x"));
        assertEquals("{\"email\":\"ann@example.com\"}", mapping.apply(CUSTOMER));
    }

    @Test
    void constantsOfEveryJsonTypeAreWrittenAsGiven() throws Exception {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("z", 1);
        object.put("a", List.of(true, "x"));
        Map<String, Object> mapping = new LinkedHashMap<>();
        mapping.put("role", constant("user"));
        mapping.put("count", constant(42));
        mapping.put("big", constant(new BigInteger("123456789012345678901234567890")));
        mapping.put("long", constant(9_007_199_254_740_993L));
        mapping.put("ratio", constant(0.25));
        mapping.put("price", constant(new BigDecimal("10.50")));
        mapping.put("vip", constant(true));
        mapping.put("off", constant(false));
        mapping.put("cleared", constant(null));
        mapping.put("tags", constant(Arrays.asList("a", null, 3)));
        mapping.put("extra", constant(object));
        assertEquals("{\"big\":123456789012345678901234567890,\"cleared\":null,\"count\":42,"
                + "\"extra\":{\"a\":[true,\"x\"],\"z\":1},\"long\":9007199254740993,\"off\":false,\"price\":10.50,"
                + "\"ratio\":0.25,\"role\":\"user\",\"tags\":[\"a\",null,3],\"vip\":true}", parse(mapping).apply(CUSTOMER));
    }

    @Test
    void theBodyIsCanonicalSoEqualInputGivesTheSameBytesAndHash() throws Exception {
        var mapping = parse(Map.of("email", "/email", "meta", "/metadata", "role", constant("user")));
        String reordered = """
                {"metadata":{"plan":"gold"},   "email":"ann@example.com","id":"cus_1"}""";
        assertEquals(mapping.apply(CUSTOMER), mapping.apply(reordered));
        assertArrayEquals(mapping.applyText(CUSTOMER).sha256(), mapping.applyText(reordered).sha256());
        assertEquals(CanonicalJson.canonical(CUSTOMER), FieldMapping.NONE.apply(CUSTOMER));
        assertEquals(FieldMapping.NONE.apply(CUSTOMER), FieldMapping.NONE.apply(CanonicalJson.canonical(CUSTOMER)));
    }

    @Test
    void aSourceThatIsNotAJsonObjectIsRejected() {
        assertThrows(ConnectorException.Rejected.class, () -> FieldMapping.NONE.apply("[1, 2]"));
        assertThrows(ConnectorException.Rejected.class, () -> FieldMapping.NONE.apply("{\"a\": "));
    }

    @Test
    void asMapGivesBackTheSyntaxItWasParsedFrom() throws Exception {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("email", "/email");
        given.put("tags", constant(Arrays.asList("a", null)));
        given.put("cleared", constant(null));
        var mapping = parse(given);
        assertEquals(given, mapping.asMap());
        assertEquals(mapping, parse(mapping.asMap()));
        assertEquals(List.of("cleared", "email", "tags"), List.copyOf(mapping.asMap().keySet()));
    }

    @Test
    void eachMalformedEntryIsRefusedNamingIt() {
        String pointerOrConst = " must be a JSON pointer (\"/…\") or {\"const\": value}";
        assertRefused(Map.of("email", "email"), "field_mapping.email", "field_mapping.email" + pointerOrConst);
        assertRefused(Map.of("email", ""), "field_mapping.email", "field_mapping.email" + pointerOrConst);
        assertRefused(Map.of("count", 3), "field_mapping.count", "field_mapping.count" + pointerOrConst);
        assertRefused(Map.of("flag", true), "field_mapping.flag", "field_mapping.flag" + pointerOrConst);
        assertRefused(Map.of("role", Map.of("value", "user")), "field_mapping.role", "field_mapping.role" + pointerOrConst);
        assertRefused(Map.of("role", Map.of("const", "user", "also", 1)), "field_mapping.role",
                "field_mapping.role" + pointerOrConst);
        assertRefused(Map.of("role", Map.of()), "field_mapping.role", "field_mapping.role" + pointerOrConst);
        assertRefused(Map.of("list", List.of("/a")), "field_mapping.list", "field_mapping.list" + pointerOrConst);
        assertRefused(Map.of("", "/email"), "field_mapping", "field_mapping has an empty target field name");
        assertRefused(Map.of("x", "/a~2b"), "field_mapping.x", null);
        assertRefused(Map.of("x", "/a~"), "field_mapping.x", null);
        assertRefused(Map.of("x", Map.of("const", Double.NaN)), "field_mapping.x.const", null);
        assertRefused(Map.of("x", Map.of("const", List.of(1, Map.of("k", new Object())))), "field_mapping.x.const[1].k",
                null);
        assertRefused(Map.of(), "field_mapping", "field_mapping must map at least one target field");
        var notAnObject = assertThrows(ConfigInvalid.class, () -> FieldMapping.parse("/email", "field_mappings.x"));
        assertEquals("field_mappings.x", notAnObject.field());
        var nullMapping = assertThrows(ConfigInvalid.class, () -> FieldMapping.parse(null, "field_mapping"));
        assertTrue(nullMapping.getMessage().startsWith("field_mapping must be a JSON object"), nullMapping.getMessage());
    }

    private static void assertRefused(Map<String, Object> mapping, String field, String message) {
        var error = assertThrows(ConfigInvalid.class, () -> parse(mapping));
        assertEquals(field, error.field(), error.getMessage());
        if (message != null) {
            assertEquals(message, error.getMessage());
        }
    }
}
