package dev.tributary.api;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Test-only endpoints that make the server meet a JSON body and a crash, so the
 * error mapping can be checked over a socket. Not part of the shipped jar.
 */
@Controller("/test-probe")
@Secured(SecurityRule.IS_ANONYMOUS)
class ErrorProbeController {

    @Serdeable
    record Greeting(String name) {
    }

    @Post("/echo")
    @Consumes(MediaType.APPLICATION_JSON)
    Greeting echo(@Body Greeting greeting) {
        return greeting;
    }

    @Get("/no-connection")
    String noConnection() {
        throw new io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException(
                "Failed to obtain JDBC Connection", new java.sql.SQLTransientConnectionException(
                "HikariPool-1 - Connection is not available, request timed out after 30000ms."));
    }

    @Get("/crash")
    String crash() {
        throw new IllegalStateException("secret-internal-detail: connection to 10.0.0.7 refused");
    }
}
