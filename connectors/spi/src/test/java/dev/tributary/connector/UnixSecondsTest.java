package dev.tributary.connector;

import dev.tributary.connector.json.CanonicalJson;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnixSecondsTest {

    @Test
    void aUnixTimeIsReadNamingItsFieldWhenItIsNoneOrCannotBeStored() {
        assertEquals(Instant.ofEpochSecond(1_700_000_000L), UnixSeconds.parse("1700000000", "created"));
        for (String[] bad : new String[][] {{"1.5", "created is not a Unix time: 1.5"},
                {"9".repeat(60), "created is not a Unix time: " + "9".repeat(40) + "…"},
                {"253402300800000", "created +8031969-04-01T00:00:00Z lies outside the years 1 to 9999"}}) {
            assertEquals(bad[1], assertThrows(IllegalArgumentException.class,
                    () -> UnixSeconds.parse(bad[0], "created")).getMessage());
        }
    }

    @Test
    void aFieldOfAnObjectIsReadOrIsAbsent() throws IOException {
        var object = CanonicalJson.parse("{\"created\": 1700000000, \"updated\": null, \"note\": \"soon\"}");
        assertEquals(Instant.ofEpochSecond(1_700_000_000L), UnixSeconds.at(object, "created"));
        assertNull(UnixSeconds.at(object, "updated"));
        assertNull(UnixSeconds.at(object, "deleted"));
        assertEquals("note is not a Unix time: soon",
                assertThrows(IllegalArgumentException.class, () -> UnixSeconds.at(object, "note")).getMessage());
    }

    @Test
    void theFirstWholeSecondNotBeforeATimeRoundsOnlyAPartSecondUp() {
        assertEquals(1_700_000_000L, UnixSeconds.notBefore(Instant.ofEpochSecond(1_700_000_000L)));
        assertEquals(1_700_000_001L, UnixSeconds.notBefore(Instant.ofEpochSecond(1_700_000_000L, 1)));
        assertEquals(1_700_000_001L, UnixSeconds.notBefore(Instant.parse("2023-11-14T22:13:20.999Z")));
    }
}
