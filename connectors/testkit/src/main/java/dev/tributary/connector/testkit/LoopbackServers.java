package dev.tributary.connector.testkit;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/** Where the fakes get their sockets: loopback, a free port, and no Nagle delay. */
final class LoopbackServers {

    static {
        // The JDK's server writes headers and body in two packets; with Nagle on, a client that
        // delays its ACK stalls every answer by ~40 ms. Read once, before the first server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private LoopbackServers() {
    }

    static HttpServer create() {
        try {
            return HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
