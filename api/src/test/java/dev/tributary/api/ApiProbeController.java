package dev.tributary.api;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.tenancy.Role;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.security.annotation.Secured;

/** Test-only: a tenant endpoint that crashes, to see what its error log line carries. */
@Controller("/api/test-probe")
class ApiProbeController {

    @Get("/crash")
    @Secured(Role.READ)
    String crash(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller) {
        throw new IllegalStateException("tenant endpoint crashed");
    }
}
