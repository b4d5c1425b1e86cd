package dev.tributary.connector.json;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class JsonRecordNormalizerTest {

    private final JsonRecordNormalizer normalizer = new JsonRecordNormalizer("things", List.of("/id"), "/updated",
            "/created", null, null, Set.of(), Clock.systemUTC());

    @Test
    void creationAndChangeTimesAreReadAsIsoOrEpochSeconds() {
        var outcome = normalizer.normalize("{\"id\": 1, \"created\": 1700000000, \"updated\": \"2026-01-02T03:04:05+01:00\"}");
        assertEquals(Instant.ofEpochSecond(1_700_000_000L), outcome.entity().sourceCreatedAt());
        assertEquals(Instant.parse("2026-01-02T02:04:05Z"), outcome.entity().sourceUpdatedAt());
        assertNull(normalizer.normalize("{\"id\": 2}").entity().sourceCreatedAt(), "no time: none stored");
    }

    @Test
    void aTimeThatIsNotOneOrCannotBeStoredFailsOnlyThatRecordNamingTheField() {
        for (String[] bad : new String[][] {
                {"{\"id\": 1, \"created\": \"yesterday\"}", "/created is not a time: yesterday"},
                {"{\"id\": 1, \"created\": 253402300800000}", "/created +8031969-04-01T00:00:00Z lies outside"},
                {"{\"id\": 1, \"updated\": \"+999999-01-01T00:00:00Z\"}", "/updated +999999-01-01T00:00:00Z lies outside"},
                {"{\"id\": 1, \"updated\": \"-0001-01-01T00:00:00Z\"}", "/updated -0001-01-01T00:00:00Z lies outside"},
                {"{\"id\": 1, \"updated\": 9223372036854775807}", "/updated is not a time: 9223372036854775807"},
                {"{\"id\": 1, \"updated\": 1e400}", "/updated is not a time: 1e400"}}) {
            var outcome = normalizer.normalize(bad[0]);
            assertNull(outcome.entity(), bad[0]);
            assertEquals("1", outcome.failure().externalId());
            assertEquals(true, outcome.failure().reason().startsWith(bad[1]), outcome.failure().reason());
        }
    }
}
