package dev.tributary.db.filter;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How a filter_config is read: what it takes, and the member each refusal names. */
class FilterConfigTest {

    private static FilterConfig.Invalid refused(Object filterConfig) {
        return assertThrows(FilterConfig.Invalid.class, () -> FilterConfig.parse(filterConfig, "filter_config"));
    }

    private static Map<String, Object> predicate(Object... pairs) {
        Map<String, Object> predicate = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            predicate.put((String) pairs[i], pairs[i + 1]);
        }
        return predicate;
    }

    private static Map<String, Object> config(Object... predicates) {
        return Map.of("predicates", List.of(predicates));
    }

    @Test
    void theDesignsExampleReadsAndComesBackAsItWasGiven() {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("predicates", List.of(
                predicate("pointer", "/status", "in", List.of("active")),
                predicate("pointer", "/price", "gte", 10, "lte", 1000),
                predicate("pointer", "/category", "eq", "Electronics"),
                predicate("pointer", "/email", "contains", "@acme"),
                predicate("pointer", "/deleted", "exists", false)));
        given.put("updated_after", "2024-01-01T00:00:00Z");
        FilterConfig filter = FilterConfig.parse(given, "filter_config");
        assertEquals(5, filter.predicates().size());
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), filter.updatedAfter());
        assertEquals(List.of(new FilterConfig.Gte(10), new FilterConfig.Lte(1000)), filter.predicates().get(1).tests());
        assertEquals(given, filter.asMap());
        assertEquals(filter, FilterConfig.parse(filter.asMap(), "filter_config"));
        assertEquals(Map.of("predicates", List.of()), FilterConfig.NONE.asMap());
        assertEquals(FilterConfig.NONE, FilterConfig.parse(Map.of(), "filter_config"));
    }

    @Test
    void testsComeBackInOneOrderAndTimesInUtc() {
        FilterConfig filter = FilterConfig.parse(Map.of("predicates", List.of(predicate("exists", true, "eq", 1,
                "pointer", "/a")), "updated_after", "2024-01-01T02:00:00+02:00"), "f");
        assertEquals(List.of("pointer", "eq", "exists"), new ArrayList<>(
                ((Map<?, ?>) ((List<?>) filter.asMap().get("predicates")).get(0)).keySet()));
        assertEquals("2024-01-01T00:00:00Z", filter.asMap().get("updated_after"));
    }

    @Test
    void unknownMembersAreRefusedByName() {
        assertEquals("filter_config.predicate", refused(Map.of("predicate", List.of())).field());
        FilterConfig.Invalid gt = refused(config(predicate("pointer", "/a", "eq", 1), predicate("pointer", "/b", "gt", 1)));
        assertEquals("filter_config.predicates[1].gt", gt.field());
        assertEquals("filter_config.predicates[1].gt is not a member of a predicate; it takes pointer and one or more"
                + " of eq, in, gte, lte, contains, exists", gt.getMessage());
    }

    @Test
    void eachMemberMustHaveItsType() {
        assertEquals("filter_config", refused(List.of()).field());
        assertEquals("filter_config", refused(null).field());
        assertEquals("filter_config.predicates", refused(Map.of("predicates", Map.of())).field());
        assertEquals("filter_config.predicates[0]", refused(config("status")).field());
        FilterConfig.Invalid gte = refused(config(predicate("pointer", "/a"), predicate("pointer", "/b", "gte", true)));
        assertEquals("filter_config.predicates[0]", gte.field(), "a predicate needs a test");
        gte = refused(config(predicate("pointer", "/b", "gte", List.of(1))));
        assertEquals("filter_config.predicates[0].gte must be a number or a string", gte.getMessage());
        assertEquals("filter_config.predicates[0].lte", refused(config(predicate("pointer", "/b", "lte", null))).field());
        assertEquals("filter_config.predicates[0].in", refused(config(predicate("pointer", "/b", "in", List.of()))).field());
        assertEquals("filter_config.predicates[0].in", refused(config(predicate("pointer", "/b", "in", "x"))).field());
        assertEquals("filter_config.predicates[0].contains",
                refused(config(predicate("pointer", "/b", "contains", 5))).field());
        assertEquals("filter_config.predicates[0].exists",
                refused(config(predicate("pointer", "/b", "exists", "yes"))).field());
        assertEquals("filter_config.predicates[0].eq[1]",
                refused(config(predicate("pointer", "/b", "eq", List.of(1, Double.NaN)))).field());
        assertEquals("filter_config.predicates[0].eq.x",
                refused(config(predicate("pointer", "/b", "eq", Map.of("x", "a\0b")))).field());
        assertEquals("filter_config.predicates[0].eq", refused(config(predicate("pointer", "/b", "eq", new Object())))
                .field());
        assertEquals("filter_config.predicates", refused(Map.of("predicates",
                Collections.nCopies(FilterConfig.MAX_PREDICATES + 1, predicate("pointer", "/a", "eq", 1))))
                .field());
    }

    @Test
    void anyJsonValueIsAnEqOperandNullIncluded() {
        List<Object> values = new ArrayList<>(List.of("x", 1, 2.5, new BigInteger("18446744073709551616"), true,
                List.of(1, "a"), Map.of("k", List.of())));
        values.add(null);
        for (Object value : values) {
            FilterConfig filter = FilterConfig.parse(config(predicate("pointer", "/a", "eq", value)), "f");
            assertEquals(new FilterConfig.Eq(value), filter.predicates().get(0).tests().get(0));
        }
    }

    @Test
    void aPointerIsRfc6901AndNeverTheWholePayload() {
        assertEquals("filter_config.predicates[0].pointer", refused(config(predicate("eq", 1))).field());
        assertEquals("filter_config.predicates[0].pointer must not be empty: the whole payload cannot be tested;"
                + " point at a member, e.g. \"/status\"", refused(config(predicate("pointer", "", "eq", 1))).getMessage());
        for (Object bad : new Object[] {"status", "/a~2", "/a~", 5, null, "/a\0"}) {
            assertEquals("filter_config.predicates[0].pointer",
                    refused(config(predicate("pointer", bad, "eq", 1))).field(), String.valueOf(bad));
        }
        assertEquals(List.of("a", "b/c", "d~e", "0"), FilterConfig.parse(config(predicate("pointer", "/a/b~1c/d~0e/0",
                "exists", true)), "f").predicates().get(0).path());
    }

    @Test
    void updatedAfterIsAnIsoTimeWithOffsetPostgresqlStores() {
        for (Object bad : new Object[] {"2024-01-01", "2024-01-01T00:00:00", "yesterday", 1704067200, null,
                "+10000-01-01T00:00:00Z", "-0001-12-31T00:00:00Z"}) {
            assertEquals("filter_config.updated_after", refused(Map.of("updated_after", bad == null ? "" : bad)).field(),
                    String.valueOf(bad));
        }
        assertEquals(Instant.parse("9999-12-31T23:59:59Z"),
                FilterConfig.parse(Map.of("updated_after", "9999-12-31T23:59:59Z"), "f").updatedAfter());
    }
}
