package dev.tributary.db.filter;

import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.db.entity.EntityReader;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each test of a saved filter run as SQL on a real PostgreSQL, over records whose payloads differ in exactly
 * the way each test looks at: which records it matches, through the reader the matches listing uses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FilterConditionTest {

    private final TestDatabase database = TestPostgres.freshDatabase();

    @BeforeAll
    void migrateAndLoad() throws SQLException {
        ApplicationContext.run(database.contextProperties()).close();
        database.execute("""
                INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme'), ('globex', 'Globex');
                INSERT INTO tributary.entities (tenant_id, app_key, collection_key, external_id, raw_payload,
                                                content_hash, archived_at, source_updated_at, updated_at)
                VALUES
                 ('acme', 'shop', 'products', 'p1', '{"status": "active", "price": 10, "category": "Electronics",
                   "email": "Ann@ACME.com", "tags": ["new", "sale"], "dims": {"w": 1, "h": 2}, "sold": "2024-03-01",
                   "a/b": 1, "m~n": "tilde", "items": [{"sku": "X1"}]}',
                  '\\x01', NULL, '2024-02-01T00:00:00Z', '2023-01-01T00:00:00Z'),
                 ('acme', 'shop', 'products', 'p2', '{"status": "active", "price": 1000.0, "category": "Electronics",
                   "email": "bob@example.com", "tags": ["old"], "deleted": null, "sold": "2023-12-31"}',
                  '\\x02', NULL, NULL, '2024-06-01T00:00:00Z'),
                 ('acme', 'shop', 'products', 'p3', '{"status": "draft", "price": 500, "category": "Electronics",
                   "deleted": false}', '\\x03', NULL, '2024-05-01T00:00:00Z', '2024-05-01T00:00:00Z'),
                 ('acme', 'shop', 'products', 'p4', '{"status": "active", "price": "cheap", "category": "Books",
                   "quote": "it''s a \\\\ \\"test\\"''; DROP TABLE entities; --"}', '\\x04', NULL,
                  '2024-05-01T00:00:00Z', '2024-05-01T00:00:00Z'),
                 ('acme', 'shop', 'products', 'p5', '{"status": "active", "price": 1000.01, "category": "Electronics"}',
                  '\\x05', NULL, '2024-05-01T00:00:00Z', '2024-05-01T00:00:00Z'),
                 ('acme', 'shop', 'products', 'p6', '{"status": "active", "price": 20, "category": "Electronics"}',
                  '\\x06', '2024-05-02T00:00:00Z', '2024-05-01T00:00:00Z', '2024-05-01T00:00:00Z'),
                 ('acme', 'shop', 'orders', 'o1', '{"status": "active", "price": 20, "category": "Electronics"}',
                  '\\x07', NULL, '2024-05-01T00:00:00Z', '2024-05-01T00:00:00Z'),
                 ('globex', 'shop', 'products', 'g1', '{"status": "active", "price": 20, "category": "Electronics"}',
                  '\\x08', NULL, '2024-05-01T00:00:00Z', '2024-05-01T00:00:00Z');""");
    }

    /** The external ids of acme's shop products the filter matches, archived ones too, in id order. */
    private List<String> matches(Map<String, Object> filterConfig) throws SQLException {
        return matches(filterConfig, true);
    }

    private List<String> matches(Map<String, Object> filterConfig, boolean includeArchived) throws SQLException {
        FilterConfig filter = FilterConfig.parse(filterConfig, "filter_config");
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            c.setAutoCommit(false);
            c.createStatement().execute("SET ROLE tributary_app");
            c.createStatement().execute("SET search_path = tributary");
            c.createStatement().execute("SELECT set_config('tributary.tenant_id', 'acme', true)");
            List<String> ids = new ArrayList<>();
            String after = null;
            EntityReader.Page page;
            do { // two rows a page: the filter holds across pages
                page = new EntityReader().page(c, "acme", "shop", "products", null,
                        new EntityReader.Selection(after, null, includeArchived, List.of(), filter), 2);
                page.entities().forEach(entity -> ids.add(entity.externalId()));
                after = ids.isEmpty() ? null : ids.get(ids.size() - 1);
            } while (page.more());
            return ids;
        }
    }

    private static Map<String, Object> predicates(Map<?, ?>... predicates) {
        return Map.of("predicates", List.of(predicates));
    }

    private static Map<String, Object> on(String pointer, String test, Object operand) {
        Map<String, Object> predicate = new java.util.LinkedHashMap<>();
        predicate.put("pointer", pointer);
        predicate.put(test, operand);
        return predicate;
    }

    @Test
    void theSeedsExampleMatchesActiveElectronicsPricedTenToAThousandChangedAfterTheDate() throws SQLException {
        Map<String, Object> seed = Map.of("predicates", List.of(
                        Map.of("pointer", "/status", "in", List.of("active")),
                        Map.of("pointer", "/price", "gte", 10, "lte", 1000),
                        Map.of("pointer", "/category", "eq", "Electronics")),
                "updated_after", "2024-01-01T00:00:00Z");
        // p1 by its source time (its own write is older), p2 by its write (no source time), 1000.0 is 1000;
        // p3 is a draft, p4 a book priced in words, p5 above 1000; p6 is archived.
        assertEquals(List.of("p1", "p2", "p6"), matches(seed));
        assertEquals(List.of("p1", "p2"), matches(seed, false));
        assertEquals(List.of("p1", "p2", "p3", "p4", "p5", "p6"), matches(Map.of()));
    }

    @Test
    void eqComparesJsonValuesOfAnyType() throws SQLException {
        assertEquals(List.of("p1", "p2", "p3", "p5", "p6"), matches(predicates(on("/category", "eq", "Electronics"))));
        assertEquals(List.of("p2"), matches(predicates(on("/price", "eq", 1000))), "1000 equals 1000.0");
        assertEquals(List.of(), matches(predicates(on("/price", "eq", "10"))), "a string is not a number");
        assertEquals(List.of("p1"), matches(predicates(on("/dims", "eq", Map.of("h", 2, "w", 1)))));
        assertEquals(List.of("p1"), matches(predicates(on("/tags", "eq", List.of("new", "sale")))));
        assertEquals(List.of("p3"), matches(predicates(on("/deleted", "eq", false))));
        assertEquals(List.of("p2"), matches(predicates(on("/deleted", "eq", null))), "null finds JSON null only");
        assertEquals(List.of("p1"), matches(predicates(on("/items/0/sku", "eq", "X1"))), "an array index");
    }

    @Test
    void inMatchesAnyOfItsValues() throws SQLException {
        assertEquals(List.of("p3"), matches(predicates(on("/status", "in", List.of("draft", 7)))));
        assertEquals(List.of("p4"), matches(predicates(on("/category", "in", List.of("Books", "Nope")))));
        assertEquals(List.of("p2", "p3"), matches(predicates(on("/price", "in", List.of(500, 1000, "10")))));
    }

    @Test
    void gteAndLteCompareNumbersNumericallyAndStringsByCodePoint() throws SQLException {
        assertEquals(List.of("p2", "p3", "p5"), matches(predicates(on("/price", "gte", 500))));
        assertEquals(List.of("p1", "p6"), matches(predicates(on("/price", "lte", 20.0))));
        assertEquals(List.of("p5"), matches(predicates(on("/price", "gte", new java.math.BigDecimal("1000.001")))));
        // A string bound: string values only ("cheap" > "a"; numbers never pass).
        assertEquals(List.of("p4"), matches(predicates(on("/price", "gte", "a"))));
        assertEquals(List.of("p1"), matches(predicates(on("/sold", "gte", "2024-01-01"))));
        assertEquals(List.of("p2"), matches(predicates(on("/sold", "lte", "2023-12-31"))));
        // Code points, not a locale's order: "B" (66) sorts before "a" (97).
        assertEquals(List.of("p4"), matches(predicates(on("/category", "lte", "Books"))));
        assertEquals(List.of(), matches(predicates(on("/category", "gte", "a"))));
    }

    @Test
    void containsFindsSubstringsIgnoringCaseAndContainedListsAndObjects() throws SQLException {
        assertEquals(List.of("p1"), matches(predicates(on("/email", "contains", "@acme"))));
        assertEquals(List.of("p1", "p2"), matches(predicates(on("/email", "contains", "E"))));
        assertEquals(List.of(), matches(predicates(on("/price", "contains", "1"))), "numbers are not strings");
        assertEquals(List.of("p1"), matches(predicates(on("/tags", "contains", List.of("sale")))));
        assertEquals(List.of(), matches(predicates(on("/tags", "contains", List.of("sale", "old")))));
        assertEquals(List.of("p1"), matches(predicates(on("/dims", "contains", Map.of("w", 1)))));
        assertEquals(List.of(), matches(predicates(on("/dims", "contains", Map.of("w", 2)))));
    }

    @Test
    void existsTellsPresentValuesFromAbsentOrNullOnes() throws SQLException {
        assertEquals(List.of("p3"), matches(predicates(on("/deleted", "exists", true))), "false exists, null not");
        assertEquals(List.of("p1", "p2", "p4", "p5", "p6"), matches(predicates(on("/deleted", "exists", false))));
        assertEquals(List.of("p1"), matches(predicates(on("/items/0/sku", "exists", true))));
    }

    @Test
    void pointerEscapesNameMembersWithSlashesAndTildes() throws SQLException {
        assertEquals(List.of("p1"), matches(predicates(on("/a~1b", "eq", 1))));
        assertEquals(List.of("p1"), matches(predicates(on("/m~0n", "eq", "tilde"))));
        assertEquals(List.of(), matches(predicates(on("/a/b", "exists", true))), "/a/b is b inside a");
        assertEquals(List.of("a/b"), FilterConfig.parse(predicates(on("/a~1b", "eq", 1)), "f").predicates().get(0).path());
        assertEquals(List.of("~1"), FilterConfig.parse(predicates(on("/~01", "eq", 1)), "f").predicates().get(0).path(),
                "~01 is ~ then 1, not /");
        assertEquals(List.of(""), FilterConfig.parse(predicates(on("/", "eq", 1)), "f").predicates().get(0).path());
    }

    @Test
    void hostileValuesAreParametersNotSql() throws SQLException {
        String hostile = "it's a \\ \"test\"'; DROP TABLE entities; --";
        assertEquals(List.of("p4"), matches(predicates(on("/quote", "eq", hostile))));
        assertEquals(List.of("p4"), matches(predicates(on("/quote", "contains", "'; DROP"))));
        assertEquals(List.of(), matches(predicates(on("/quote') OR true --", "exists", true))));
        assertEquals(List.of(), matches(predicates(on("/x", "in", List.of("'; DROP TABLE entities; --")))));
        FilterCondition condition = FilterConfig.parse(predicates(on("/quote", "eq", hostile)), "f").condition();
        assertFalse(condition.sql().contains("DROP"), condition.sql());
        assertEquals(2, condition.parameterCount());
        assertEquals(8, database.queryLong("SELECT count(*) FROM tributary.entities"));
    }

    @Test
    void allPredicatesAndTestsMustPass() throws SQLException {
        assertEquals(List.of("p3"), matches(predicates(on("/category", "eq", "Electronics"),
                Map.of("pointer", "/price", "gte", 100, "lte", 999))));
        assertEquals(List.of("p2", "p3", "p4", "p5", "p6"), matches(Map.of("updated_after", "2024-04-01T00:00:00+02:00")));
        assertTrue(matches(Map.of("updated_after", "2030-01-01T00:00:00Z")).isEmpty());
    }
}
