package dev.tributary.connector;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectorExceptionTest {

    @Test
    void aCauseWithoutAMessageIsDescribedByItsType() {
        var refused = new ConnectException();
        refused.initCause(new ClosedChannelException());
        assertEquals("ConnectException caused by ClosedChannelException", ConnectorException.describe(refused));
    }

    @Test
    void theMessagesOfACauseChainAreKeptOnceEach() {
        var broken = new IOException("closed", new IOException("fixed content-length: 100, bytes received: 10"));
        assertEquals("closed: fixed content-length: 100, bytes received: 10", ConnectorException.describe(broken));
        var wrapped = new IOException("java.io.IOException: reset", new IOException("reset"));
        assertEquals("java.io.IOException: reset", ConnectorException.describe(wrapped));
    }

    @Test
    void anErrorIsNeverLeftWithoutAMessage() {
        var transientFailure = new ConnectorException.Transient(null, new ConnectException());
        assertEquals("a connector failed: ConnectException", transientFailure.getMessage());
        assertFalse(new ConnectorException.Rejected(" ").getMessage().isBlank());
    }

    @Test
    void anHttpStatusMapsToTheErrorThatSaysWhetherToRetry() {
        Map<Integer, Class<? extends ConnectorException>> expected = Map.of(429, ConnectorException.RateLimited.class,
                500, ConnectorException.Transient.class, 503, ConnectorException.Transient.class,
                401, ConnectorException.AuthRevoked.class, 403, ConnectorException.AuthRevoked.class,
                404, ConnectorException.NotFound.class, 400, ConnectorException.Rejected.class,
                409, ConnectorException.Rejected.class, 301, ConnectorException.Rejected.class);
        expected.forEach((status, type) -> {
            var error = ConnectorException.ofHttpStatus(status, "GET /x answered " + status, () -> Duration.ofSeconds(7));
            assertInstanceOf(type, error, "status " + status);
            assertEquals("GET /x answered " + status, error.getMessage());
            assertEquals(status == 429 || status >= 500, error.retriable(), "status " + status);
        });
        var limited = (ConnectorException.RateLimited) ConnectorException.ofHttpStatus(429, "slow down",
                () -> Duration.ofSeconds(7));
        assertEquals(Duration.ofSeconds(7), limited.retryAfter());
    }

    @Test
    void theWaitIsAskedForOnlyWhenRateLimited() {
        var error = ConnectorException.ofHttpStatus(503, "down", () -> {
            throw new AssertionError("a 503 has no wait to compute");
        });
        assertTrue(error.retriable());
    }
}
