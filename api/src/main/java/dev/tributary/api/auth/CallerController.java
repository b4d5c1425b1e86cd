package dev.tributary.api.auth;

import dev.tributary.api.docs.ProblemResponses;
import dev.tributary.api.docs.TenantApi;
import dev.tributary.tenancy.Role;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/**
 * {@code GET /api/me}: who the credential is and what it may do for the tenant it names. A client (the console)
 * asks once at sign-in, so that it can offer only the actions the credential's role allows instead of letting
 * them fail with 403.
 */
@Controller("/api/me")
@Tag(name = "caller")
@TenantApi
class CallerController {

    @Schema(name = "Caller", description = "The caller of a tenant request: its credential's id, the tenant it acts"
            + " for, and the roles it holds.")
    @Serdeable
    record CallerView(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the credential's stable id,"
                              + " never secret: `key:<uuid>` for an API key, `jwt:<sub>` for a JWT") String principal,
                      @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                              description = "the tenant of the request's X-Tenant-ID") String tenantId,
                      @ArraySchema(arraySchema = @Schema(description = "the credential's role and every role it"
                              + " implies (`sync:read` < `sync:write` < `sync:admin`), weakest first"),
                              schema = @Schema(type = "string", allowableValues = {Role.READ, Role.WRITE, Role.ADMIN}))
                      List<String> roles) {

        static CallerView of(CallerTenant caller) {
            return new CallerView(caller.principal().id(), caller.tenant().value(),
                    caller.principal().role().map(Role::impliedClaims).orElse(List.of()));
        }
    }

    @Operation(operationId = "getCaller", summary = "Who is calling",
            description = "The credential's id, the tenant it acts for and its roles, each implying the ones before"
                    + " it. Role: `sync:read`.")
    @ApiResponse(responseCode = "200", description = "The caller.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @Get
    @Secured(Role.READ)
    CallerView get(@RequestAttribute(CallerTenant.ATTRIBUTE) CallerTenant caller) {
        return CallerView.of(caller);
    }
}
