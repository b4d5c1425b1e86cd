package dev.tributary.connector.net;

import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetryAfterTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-10-21T07:28:00Z"), ZoneOffset.UTC);

    @Test
    void secondsAreWaitedAsSaid() {
        assertEquals(Duration.ofSeconds(7), RetryAfter.parse("7", clock));
        assertEquals(Duration.ofSeconds(120), RetryAfter.parse(" 120 ", clock));
        assertEquals(Duration.ZERO, RetryAfter.parse("-5", clock), "never a negative wait");
    }

    @Test
    void anHttpDateIsWaitedForFromTheClocksNow() {
        assertEquals(Duration.ofSeconds(90), RetryAfter.parse("Wed, 21 Oct 2026 07:29:30 GMT", clock));
        assertEquals(Duration.ZERO, RetryAfter.parse("Wed, 21 Oct 2026 07:00:00 GMT", clock), "a date gone by");
    }

    @Test
    void nothingUsableMeansTheOneDefault() {
        for (String value : new String[] {null, "", "  ", "soon", "1.5", "99999999999999999999", "2026-10-21T07:29:30Z"}) {
            assertEquals(RetryAfter.DEFAULT, RetryAfter.parse(value, clock), String.valueOf(value));
        }
    }

    @Test
    void theHeaderIsReadFromAnAnswersHeadersInAnyCase() {
        var headers = HttpHeaders.of(Map.of("retry-after", List.of("42")), (name, value) -> true);
        assertEquals(Duration.ofSeconds(42), RetryAfter.of(headers, clock));
        assertEquals(RetryAfter.DEFAULT, RetryAfter.of(HttpHeaders.of(Map.of(), (name, value) -> true), clock));
    }
}
