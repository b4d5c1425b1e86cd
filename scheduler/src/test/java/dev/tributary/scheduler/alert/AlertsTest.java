package dev.tributary.scheduler.alert;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.tributary.db.TestPostgres;
import dev.tributary.scheduler.NodeSettings;
import io.micronaut.context.ApplicationContext;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Alert delivery to a real HTTP receiver and a real SMTP server (GreenMail). */
class AlertsTest {

    private static final String SECRET = "alert-signing-secret-0001";

    /** What the receiver got: the signature header and the body of each POST. */
    private record Post(String signature, String body) {
    }

    private final List<Post> posts = new CopyOnWriteArrayList<>();
    /** How many deliveries the receiver answers 500 before it answers 204. */
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private HttpServer receiver;
    private GreenMail smtp;
    private ApplicationContext context;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger alertsLog = (Logger) LoggerFactory.getLogger(Alerts.class);

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/alerts", exchange -> {
            posts.add(new Post(exchange.getRequestHeaders().getFirst(Alerts.SIGNATURE_HEADER),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(failuresLeft.getAndDecrement() > 0 ? 500 : 204, -1);
            exchange.close();
        });
        receiver.start();
        int smtpPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            smtpPort = socket.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", "smtp"));
        smtp.start();
        logs.start();
        alertsLog.addAppender(logs);
        context = node(Map.of("tributary.alerts.smtp-host", "127.0.0.1",
                "tributary.alerts.smtp-port", Integer.toString(smtpPort),
                "tributary.alerts.allow-private-addresses", "true"));
    }

    @AfterEach
    void stop() {
        alertsLog.detachAppender(logs);
        context.close();
        receiver.stop(0);
        smtp.stop();
    }

    /** A node named as the service names JSON members (its application.yml). */
    private static ApplicationContext node(Map<String, Object> settings) {
        Map<String, Object> properties = NodeSettings.on(TestPostgres.freshDatabase());
        properties.put("micronaut.serde.property-naming-strategy", "SNAKE_CASE");
        properties.putAll(settings);
        return ApplicationContext.run(properties);
    }

    private String webhook() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/alerts";
    }

    private static RunAlert failed(UUID syncId) {
        return new RunAlert("run_failed", syncId, "acme", "billing", null, "items: the source answered 401",
                Instant.parse("2026-03-01T12:00:00Z"), 42);
    }

    private List<String> warnings() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aFailedDeliveryIsRetriedAndTheReceiverCanCheckTheSignatureOfWhatItGot() throws Exception {
        failuresLeft.set(1);
        UUID syncId = UUID.randomUUID();
        context.getBean(Alerts.class).send(new AlertTarget(webhook(), SECRET, List.of()), failed(syncId));

        await().atMost(Duration.ofSeconds(20)).until(() -> posts.size() >= 2);
        assertEquals(posts.get(0), posts.get(1), "the retry sends the same alert, signed alike");
        String body = posts.get(1).body();
        assertEquals("{\"event\":\"run_failed\",\"sync_id\":\"" + syncId + "\",\"tenant_id\":\"acme\","
                + "\"app_key\":\"billing\",\"collection\":null,\"error\":\"items: the source answered 401\","
                + "\"timestamp\":\"2026-03-01T12:00:00Z\",\"records_processed\":42}", body, "every member, null or not");
        String[] signature = posts.get(1).signature().split(",");
        assertEquals("t=" + Instant.parse("2026-03-01T12:00:00Z").getEpochSecond(), signature[0]);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal((signature[0].substring(2) + "." + body)
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals("v1=" + expected, signature[1]);
    }

    @Test
    void anEmailGoesToEveryAddressNamingTheRunTheErrorAndWhatItHadProcessed() throws Exception {
        UUID syncId = UUID.randomUUID();
        context.getBean(Alerts.class).send(new AlertTarget(null, null, List.of("ops@acme.test", "oncall@acme.test")),
                new RunAlert("deletion_guard_stopped", syncId, "acme", "billing", "items", "would delete 80%",
                        Instant.parse("2026-03-01T12:00:00Z"), 7));

        await().atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length >= 2);
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertEquals("[Tributary] deletion guard stopped: acme/billing/items", mail.getSubject());
        assertEquals(List.of("ops@acme.test", "oncall@acme.test"), Arrays.stream(mail.getRecipients(Message.RecipientType.TO))
                .map(Object::toString).toList());
        String text = ((String) mail.getContent()).replace("\r\n", "\n");
        assertTrue(text.startsWith("Run " + syncId + " of acme/billing: deletion_guard_stopped at 2026-03-01T12:00:00Z."
                + "\n\nError: would delete 80%\nRecords processed before it: 7\n"), text);
        assertTrue(posts.isEmpty(), "no webhook was configured");
    }

    @Test
    void aChannelThatKeepsFailingIsGivenUpAfterItsAttemptsAndLogged() {
        failuresLeft.set(Integer.MAX_VALUE);
        UUID syncId = UUID.randomUUID();
        context.getBean(Alerts.class).send(new AlertTarget(webhook(), SECRET, List.of()), failed(syncId));

        await().atMost(Duration.ofSeconds(20)).until(() -> warnings().stream().anyMatch(w -> w.contains(syncId.toString())));
        assertEquals(3, posts.size(), "tributary.alerts.attempts");
        assertTrue(warnings().get(0).contains("by webhook failed after 3 attempts: alert webhook answered 500"),
                warnings().toString());
    }

    @Test
    void aWebhookOnAPrivateAddressIsNeverCalledUnlessAllowed() {
        try (ApplicationContext guarded = node(Map.of("tributary.alerts.attempts", "1"))) {
            UUID syncId = UUID.randomUUID();
            guarded.getBean(Alerts.class).send(new AlertTarget(webhook(), SECRET, List.of()), failed(syncId));
            await().atMost(Duration.ofSeconds(20)).until(() -> warnings().stream().anyMatch(w -> w.contains(syncId.toString())));
            assertTrue(warnings().get(0).contains("alert webhook 127.0.0.1 is a private address"), warnings().toString());
            assertTrue(posts.isEmpty());
        }
    }

    @Test
    void anEmailAlertWithoutAnSmtpServerIsGivenUpAndLogged() {
        try (ApplicationContext noSmtp = node(Map.of("tributary.alerts.attempts", "1"))) {
            UUID syncId = UUID.randomUUID();
            noSmtp.getBean(Alerts.class).send(new AlertTarget(null, null, List.of("ops@acme.test")), failed(syncId));
            await().atMost(Duration.ofSeconds(20)).until(() -> warnings().stream().anyMatch(w -> w.contains(syncId.toString())));
            assertTrue(warnings().get(0).contains("no SMTP server is configured (tributary.alerts.smtp-host)"),
                    warnings().toString());
            assertEquals(0, smtp.getReceivedMessages().length);
        }
    }
}
