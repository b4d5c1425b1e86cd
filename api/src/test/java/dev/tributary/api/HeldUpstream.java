package dev.tributary.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback proxy in front of a fake SaaS server that can hold one request back: the
 * test learns when the service's request arrived, does what it wants to happen while
 * the service waits for that page (restart its database, shut it down), then lets the
 * request through — or never does, for a source that stalls. So a test acts on an
 * observable event, not after a sleep.
 */
final class HeldUpstream implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final URI target;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int heldRequest = -1;
    private volatile CountDownLatch arrived = new CountDownLatch(1);
    private volatile CountDownLatch released = new CountDownLatch(1);

    private HeldUpstream(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** A proxy to {@code target} (e.g. a {@code FakeSaasServer}'s base URI). */
    static HeldUpstream inFrontOf(URI target) {
        return new HeldUpstream(target);
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Holds the {@code nth} request from now on (1 = the next one) until {@link #release()}. */
    HeldUpstream hold(int nth) {
        arrived = new CountDownLatch(1);
        released = new CountDownLatch(1);
        heldRequest = requests.get() + nth;
        return this;
    }

    /** Waits until the held request has arrived (the service now waits for its answer). */
    void awaitHeld(Duration timeout) throws InterruptedException {
        if (!arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the request to hold did not arrive within " + timeout);
        }
    }

    /** Lets the held request through (to the fake, answered as usual). */
    void release() {
        released.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (requests.incrementAndGet() == heldRequest) {
                CountDownLatch release = released;
                arrived.countDown();
                release.await();
            }
            URI uri = exchange.getRequestURI();
            var forwarded = HttpRequest.newBuilder(target.resolve(uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))).GET().build();
            HttpResponse<byte[]> answer = CLIENT.send(forwarded, HttpResponse.BodyHandlers.ofByteArray());
            answer.headers().firstValue("Content-Type").ifPresent(type ->
                    exchange.getResponseHeaders().add("Content-Type", type));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The service gave up on this request (it timed out, or its node is gone): nobody to answer.
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
