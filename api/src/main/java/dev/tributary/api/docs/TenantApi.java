package dev.tributary.api.docs;

import dev.tributary.api.problem.ProblemDetails;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import static dev.tributary.api.docs.ProblemResponses.PROBLEM;
import static dev.tributary.api.docs.ProblemResponses.REQUEST_ID;
import static dev.tributary.api.docs.ProblemResponses.REQUEST_ID_DESCRIPTION;

/**
 * What every {@code /api} operation has in the OpenAPI document, on its controller: the tenant credential
 * ({@code tenantToken}), the required {@code X-Tenant-ID} header, and the problems any of them can answer
 * (400, 401, 403, 429, 500, 503). An operation that declares {@code parameters} in its own
 * {@code @Operation} replaces this header and must name it again ({@link #TENANT_HEADER} and friends).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@SecurityRequirement(name = TenantApi.SCHEME)
@Operation(parameters = @Parameter(name = TenantApi.TENANT_HEADER, in = ParameterIn.HEADER, required = true,
        description = TenantApi.TENANT_HEADER_DESCRIPTION,
        schema = @Schema(type = "string", pattern = TenantApi.KEY_PATTERN, example = "acme")))
@ApiResponse(responseCode = "400", description = "A malformed header, query value or body, each refused naming"
        + " its field: `invalid_request` (with `errors[]`), `malformed_json`, `invalid_encoding`, `body_missing`,"
        + " `tenant_header_missing`, `tenant_header_invalid`, `bad_request`; the operation's description names"
        + " its own codes.",
        content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetails.class)),
        headers = @Header(name = REQUEST_ID, description = REQUEST_ID_DESCRIPTION, required = true,
                schema = @Schema(type = "string")))
@ProblemResponses.Unauthorized
@ApiResponse(responseCode = "403", description = "The credential is not granted this tenant, the tenant is"
        + " disabled, or the operation needs a stronger role (`forbidden`); a browser origin that is not"
        + " allowed (`origin_not_allowed`).",
        content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetails.class)),
        headers = @Header(name = REQUEST_ID, description = REQUEST_ID_DESCRIPTION, required = true,
                schema = @Schema(type = "string")))
@ProblemResponses.TooManyRequests
@ProblemResponses.ServerErrors
public @interface TenantApi {

    String SCHEME = "tenantToken";
    String TENANT_HEADER = "X-Tenant-ID";
    String TENANT_HEADER_DESCRIPTION = "the tenant the call acts for; the credential must be granted it";
    /** What an {@code app_key}, a {@code collection} and a tenant id look like. */
    String KEY_PATTERN = "^[A-Za-z0-9_-]{1,64}$";
}
