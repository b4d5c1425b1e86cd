package dev.tributary.connector;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
}
