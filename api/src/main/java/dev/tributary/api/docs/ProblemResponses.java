package dev.tributary.api.docs;

import dev.tributary.api.problem.ProblemDetails;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error answers an operation can give, stated once for the OpenAPI document: each is an
 * {@code application/problem+json} {@link ProblemDetails} ("Problem") with the {@code X-Request-ID} header.
 * {@link TenantApi} and {@link AdminApi} carry the ones every operation of their part answers; an operation
 * adds the others it can answer with these annotations (micronaut-openapi reads them as stereotypes).
 */
public final class ProblemResponses {

    public static final String PROBLEM = ProblemDetails.MEDIA_TYPE;
    public static final String REQUEST_ID = "X-Request-ID";
    public static final String REQUEST_ID_DESCRIPTION = "the request's id (the caller's X-Request-ID when sane, else a"
            + " new UUID), also in the request's log lines and problem body";
    public static final String RETRY_AFTER = "Retry-After";
    public static final String LOCATION = "Location";

    private ProblemResponses() {
    }

    /** 401: no valid credential; {@code WWW-Authenticate: Bearer} says which kind is wanted. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
    @ApiResponse(responseCode = "401", description = "No valid credential: missing, malformed, expired, badly signed,"
            + " revoked, or not one this part of the API takes (`unauthorized`).",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetails.class)),
            headers = {
                    @Header(name = REQUEST_ID, description = REQUEST_ID_DESCRIPTION, required = true,
                            schema = @Schema(type = "string")),
                    @Header(name = "WWW-Authenticate", description = "`Bearer`", required = true,
                            schema = @Schema(type = "string"))})
    public @interface Unauthorized {
    }

    /** 404: nothing answers to the path's ids (or to the tenant's view of them). */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @ApiResponse(responseCode = "404", description = "No such resource for this tenant (`not_found`).",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetails.class)),
            headers = @Header(name = REQUEST_ID, description = REQUEST_ID_DESCRIPTION, required = true,
                    schema = @Schema(type = "string")))
    public @interface NotFound {
    }

    /** 409: the resource's state refuses the request; the operation's description names the codes. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @ApiResponse(responseCode = "409", description = "The resource's current state refuses this (the operation's"
            + " description names the `code`s).",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetails.class)),
            headers = @Header(name = REQUEST_ID, description = REQUEST_ID_DESCRIPTION, required = true,
                    schema = @Schema(type = "string")))
    public @interface Conflict {
    }

    /** 413: a body over 1 MB, refused before anything reads it. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
    @ApiResponse(responseCode = "413", description = "The body is over 1 MB, declared or decompressed"
            + " (`payload_too_large`); nothing was read.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetails.class)),
            headers = @Header(name = REQUEST_ID, description = REQUEST_ID_DESCRIPTION, required = true,
                    schema = @Schema(type = "string")))
    public @interface PayloadTooLarge {
    }

    /** 413 and 415: what every operation that reads a JSON body can answer before reading it. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @PayloadTooLarge
    @ApiResponse(responseCode = "415", description = "The body is not JSON (`unsupported_media_type`).",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetails.class)),
            headers = @Header(name = REQUEST_ID, description = REQUEST_ID_DESCRIPTION, required = true,
                    schema = @Schema(type = "string")))
    public @interface JsonBody {
    }

    /** 422: an idempotency key already used with another body. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @ApiResponse(responseCode = "422", description = "This idempotency key was used with another body"
            + " (`idempotency_key_reused`); nothing was queued.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetails.class)),
            headers = @Header(name = REQUEST_ID, description = REQUEST_ID_DESCRIPTION, required = true,
                    schema = @Schema(type = "string")))
    public @interface Unprocessable {
    }

    /** 429: over a rate limit; {@code Retry-After} says when to come back. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
    @ApiResponse(responseCode = "429", description = "Over the rate limit (`rate_limited`): try again after"
            + " `Retry-After` seconds.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetails.class)),
            headers = {
                    @Header(name = REQUEST_ID, description = REQUEST_ID_DESCRIPTION, required = true,
                            schema = @Schema(type = "string")),
                    @Header(name = RETRY_AFTER, description = "whole seconds to wait", required = true,
                            schema = @Schema(type = "integer", minimum = "0"))})
    public @interface TooManyRequests {
    }

    /** 500 and 503: what any operation can answer; neither says more than its code. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
    @ApiResponse(responseCode = "500", description = "Internal server error (`internal_error`); the cause is logged"
            + " with the request id, never answered.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetails.class)),
            headers = @Header(name = REQUEST_ID, description = REQUEST_ID_DESCRIPTION, required = true,
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "503", description = "No database connection freed up in time (`unavailable`):"
            + " try again after `Retry-After` seconds.",
            content = @Content(mediaType = PROBLEM, schema = @Schema(implementation = ProblemDetails.class)),
            headers = {
                    @Header(name = REQUEST_ID, description = REQUEST_ID_DESCRIPTION, required = true,
                            schema = @Schema(type = "string")),
                    @Header(name = RETRY_AFTER, description = "whole seconds to wait",
                            schema = @Schema(type = "integer", minimum = "0"))})
    public @interface ServerErrors {
    }
}
