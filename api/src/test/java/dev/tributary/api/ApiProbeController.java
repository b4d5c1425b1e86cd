package dev.tributary.api;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.tenancy.Role;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.security.annotation.Secured;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only tenant endpoints: one that crashes, to see what its error log line carries, one that logs, to
 * see what a line logged while serving the request carries, and one that forgot to declare a role.
 */
@Controller("/api/test-probe")
class ApiProbeController {

    private static final Logger LOG = LoggerFactory.getLogger(ApiProbeController.class);

    @Get("/crash")
    @Secured(Role.READ)
    String crash(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller) {
        throw new IllegalStateException("tenant endpoint crashed");
    }

    @Get("/log")
    @Secured(Role.READ)
    String log(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller) {
        LOG.info("tenant probe serving its request");
        return "logged";
    }

    @Get("/undeclared")
    String undeclared(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller) {
        return "no route without a role should answer this";
    }
}
