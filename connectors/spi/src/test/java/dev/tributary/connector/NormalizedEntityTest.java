package dev.tributary.connector;

import dev.tributary.connector.json.CanonicalJson;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormalizedEntityTest {

    private static NormalizedEntity entity(Instant archived, Instant created, Instant updated) throws IOException {
        return NormalizedEntity.of("x", "things", CanonicalJson.parse("{\"id\": \"x\"}"), archived, created, updated);
    }

    @Test
    void timesFromYear1ToYear9999AreStorable() {
        assertDoesNotThrow(() -> entity(StorableTime.EARLIEST, StorableTime.LATEST, null));
        assertDoesNotThrow(() -> entity(null, null, Instant.parse("2026-01-01T00:00:00Z")));
    }

    @Test
    void aTimePostgresqlCannotStoreIsRefusedNamingItsField() {
        Instant year10000 = Instant.parse("+10000-01-01T00:00:00Z");
        Instant yearZero = StorableTime.EARLIEST.minusNanos(1);
        Instant fromMillisReadAsSeconds = Instant.ofEpochSecond(253_402_300_800_000L);
        for (var refused : List.of(
                assertThrows(IllegalArgumentException.class, () -> entity(year10000, null, null)),
                assertThrows(IllegalArgumentException.class, () -> entity(null, yearZero, null)),
                assertThrows(IllegalArgumentException.class, () -> entity(null, null, fromMillisReadAsSeconds)))) {
            assertTrue(refused.getMessage().matches("(archived_at|source_created_at|source_updated_at) .* lies outside"
                    + " the years 1 to 9999"), refused.getMessage());
        }
        var event = assertThrows(IllegalArgumentException.class, () -> new WebhookEvent("evt", "t",
                WebhookEvent.Action.UPDATE, List.of(), year10000));
        assertTrue(event.getMessage().startsWith("occurred_at "), event.getMessage());
    }

    @Test
    void outsideSyncFromJudgesByCreationTimeElseByLastChange() throws IOException {
        Instant syncFrom = Instant.parse("2026-01-01T00:00:00Z");
        assertTrue(entity(null, syncFrom.minusNanos(1), syncFrom.plusSeconds(60)).outsideSyncFrom(syncFrom));
        assertFalse(entity(null, syncFrom, syncFrom.minusSeconds(60)).outsideSyncFrom(syncFrom), "created on it: in");
        assertTrue(entity(null, null, syncFrom.minusSeconds(60)).outsideSyncFrom(syncFrom),
                "no creation time: changed before sync_from, so created before it");
        assertFalse(entity(null, null, syncFrom).outsideSyncFrom(syncFrom), "no creation time, changed on sync_from");
        assertFalse(entity(null, null, null).outsideSyncFrom(syncFrom), "no time at all: kept");
        assertFalse(entity(null, null, syncFrom.minusSeconds(60)).outsideSyncFrom(null), "no sync_from: everything");
    }

    @Test
    void onlyAnEntityKnownToBeCreatedBeforeSyncFromLiesOutsideIt() throws IOException {
        Instant syncFrom = Instant.parse("2026-01-01T00:00:00Z");
        assertTrue(entity(null, syncFrom.minusNanos(1), null).createdBefore(syncFrom));
        assertFalse(entity(null, syncFrom, null).createdBefore(syncFrom), "on sync_from is inside");
        assertFalse(entity(null, null, syncFrom.minusSeconds(60)).createdBefore(syncFrom), "no creation time: kept");
        assertFalse(entity(null, syncFrom.minusNanos(1), null).createdBefore(null), "no sync_from: everything");
    }
}
