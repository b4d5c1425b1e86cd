package dev.tributary.api;

import dev.tributary.api.auth.CallerTenant;
import dev.tributary.api.auth.RequiresRole;
import dev.tributary.tenancy.Role;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** Test-only: a tenant endpoint that crashes, to see what its error log line carries. */
@Controller("/api/test-probe")
class ApiProbeController {

    @Get("/crash")
    @RequiresRole(Role.SYNC_READ)
    String crash(CallerTenant caller) {
        throw new IllegalStateException("tenant endpoint crashed");
    }
}
