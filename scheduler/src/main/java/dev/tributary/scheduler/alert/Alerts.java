package dev.tributary.scheduler.alert;

import dev.tributary.connector.net.InternalAddresses;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivers failure alerts, off the worker's thread: a JSON POST signed like Stripe's
 * webhooks ({@code Tributary-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">}, keyed
 * by the app's webhook secret) and an email through the configured SMTP server. Each
 * channel is tried {@code attempts} times; a delivery that still fails is logged and
 * counted ({@code tributary_alerts_total{channel,result}}) and never affects the run.
 */
@Singleton
public class Alerts {

    public static final String SIGNATURE_HEADER = "Tributary-Signature";
    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);

    private final AlertConfiguration configuration;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService deliveries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "alert-delivery");
        thread.setDaemon(true);
        return thread;
    });

    public Alerts(AlertConfiguration configuration, JsonMapper json, MeterRegistry meters) {
        this.configuration = configuration;
        this.json = json;
        this.meters = meters;
    }

    /** Sends the alert to the app's channels in the background. */
    public void send(AlertTarget target, RunAlert alert) {
        if (target.webhookUrl() == null && target.emails().isEmpty()) {
            return;
        }
        if (target.webhookUrl() != null) {
            deliveries.execute(() -> deliver("webhook", alert, () -> post(target, alert), 1));
        }
        if (!target.emails().isEmpty()) {
            deliveries.execute(() -> deliver("email", alert, () -> email(target, alert), 1));
        }
    }

    private interface Delivery {
        void run() throws Exception;
    }

    /** One attempt; a failed one schedules the next after {@code retryDelay}, up to {@code attempts}. */
    private void deliver(String channel, RunAlert alert, Delivery delivery, int attempt) {
        try {
            delivery.run();
            meters.counter("tributary.alerts", "channel", channel, "result", "delivered").increment();
        } catch (Exception e) {
            if (attempt < configuration.attempts()) {
                deliveries.schedule(() -> deliver(channel, alert, delivery, attempt + 1),
                        configuration.retryDelay().toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            meters.counter("tributary.alerts", "channel", channel, "result", "failed").increment();
            LOG.warn("Alert {} of run {} by {} failed after {} attempts: {}", alert.event(), alert.syncId(),
                    channel, attempt, e.getMessage());
        }
    }

    private void post(AlertTarget target, RunAlert alert) throws IOException, InterruptedException,
            GeneralSecurityException {
        URI uri = URI.create(target.webhookUrl());
        if (!configuration.allowPrivateAddresses()) {
            for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
                if (InternalAddresses.isInternal(address)) {
                    throw new IOException("alert webhook " + uri.getHost() + " is a private address");
                }
            }
        }
        String body = json.writeValueAsString(alert);
        long timestamp = alert.timestamp().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header(SIGNATURE_HEADER, "t=" + timestamp + ",v1=" + sign(target.webhookSecret(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 != 2) {
            throw new IOException("alert webhook answered " + status);
        }
    }

    /** Hex HMAC-SHA256 of {@code "<timestamp>.<body>"} under the secret: what a receiver recomputes. */
    public static String sign(String secret, long timestamp, String body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    private void email(AlertTarget target, RunAlert alert) throws MessagingException, IOException {
        if (configuration.smtpHost() == null || configuration.smtpHost().isBlank()) {
            throw new MessagingException("no SMTP server is configured (tributary.alerts.smtp-host)");
        }
        Properties properties = new Properties();
        properties.put("mail.smtp.host", configuration.smtpHost());
        properties.put("mail.smtp.port", Integer.toString(configuration.smtpPort()));
        properties.put("mail.smtp.connectiontimeout", "5000");
        properties.put("mail.smtp.timeout", "10000");
        Authenticator login = null;
        if (configuration.smtpUsername() != null) {
            properties.put("mail.smtp.auth", "true");
            properties.put("mail.smtp.starttls.enable", "true");
            login = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(configuration.smtpUsername(), configuration.smtpPassword());
                }
            };
        }
        MimeMessage message = new MimeMessage(Session.getInstance(properties, login));
        message.setFrom(new InternetAddress(configuration.smtpFrom()));
        for (String address : target.emails()) {
            message.addRecipient(Message.RecipientType.TO, new InternetAddress(address));
        }
        message.setSubject("[Tributary] " + alert.event().replace('_', ' ') + ": " + alert.tenantId() + "/"
                + alert.appKey() + (alert.collection() == null ? "" : "/" + alert.collection()), "UTF-8");
        message.setText("Run " + alert.syncId() + " of " + alert.tenantId() + "/" + alert.appKey() + ": "
                + alert.event() + " at " + alert.timestamp() + ".\n\nError: " + alert.error()
                + "\nRecords processed before it: " + alert.recordsProcessed() + "\n\n"
                + json.writeValueAsString(alert) + "\n", "UTF-8");
        Transport.send(message);
    }

    @PreDestroy
    void close() throws InterruptedException {
        deliveries.shutdown();
        deliveries.awaitTermination(10, TimeUnit.SECONDS);
    }
}
