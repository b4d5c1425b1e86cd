package dev.tributary.scheduler.alert;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * How failure alerts are delivered ({@code tributary.alerts.*}; defaults in application.yml).
 *
 * @param smtpHost               the SMTP server for email alerts; none means email alerts are not sent
 * @param smtpPort               its port
 * @param smtpFrom               the sender address
 * @param smtpUsername           login, when the server wants one
 * @param smtpPassword           its password
 * @param attempts               delivery attempts per channel before giving up (the run is never affected)
 * @param retryDelay             the wait between attempts
 * @param allowPrivateAddresses  whether alert webhooks may target private, loopback and link-local addresses
 */
@ConfigurationProperties("tributary.alerts")
public record AlertConfiguration(
        @Nullable String smtpHost,
        @Min(1) @Max(65535) int smtpPort,
        @NotNull String smtpFrom,
        @Nullable String smtpUsername,
        @Nullable String smtpPassword,
        @Min(1) @Max(10) int attempts,
        @NotNull Duration retryDelay,
        boolean allowPrivateAddresses) {
}
