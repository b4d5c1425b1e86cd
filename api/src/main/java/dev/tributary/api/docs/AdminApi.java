package dev.tributary.api.docs;

import dev.tributary.api.problem.ProblemDetails;
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
 * What every {@code /admin} operation has in the OpenAPI document, on its controller: the operator key
 * ({@code adminKey}) and the problems any of them can answer (400, 401, 404, 500, 503).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@SecurityRequirement(name = AdminApi.SCHEME)
@ApiResponse(responseCode = "400", description = "A malformed query value or body, refused naming its field"
        + " (`invalid_request` with `errors[]`, `malformed_json`, `invalid_encoding`, `body_missing`).",
        content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetails.class)),
        headers = @Header(name = REQUEST_ID, description = REQUEST_ID_DESCRIPTION, required = true,
                schema = @Schema(type = "string")))
@ProblemResponses.Unauthorized
@ApiResponse(responseCode = "404", description = "No such tenant or key (`not_found`); every `/admin` path"
        + " answers 404 when the service has no operator key configured.",
        content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetails.class)),
        headers = @Header(name = REQUEST_ID, description = REQUEST_ID_DESCRIPTION, required = true,
                schema = @Schema(type = "string")))
@ProblemResponses.ServerErrors
public @interface AdminApi {

    String SCHEME = "adminKey";
}
