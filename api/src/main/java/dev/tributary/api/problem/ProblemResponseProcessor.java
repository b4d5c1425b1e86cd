package dev.tributary.api.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tributary.api.request.LogContext;
import dev.tributary.api.request.RequestIdFilter;
import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import jakarta.inject.Singleton;
import io.micronaut.serde.exceptions.SerdeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place every error response is shaped: whatever Micronaut or our code
 * refused (unknown route, wrong method or media type, unreadable body, a failed
 * constraint, a crash) leaves as {@code application/problem+json}. A 5xx never
 * carries internal detail; its cause is logged with the request id instead.
 */
@Singleton
@Primary
public class ProblemResponseProcessor implements ErrorResponseProcessor<ProblemDetails> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponseProcessor.class);
    private static final String TYPE_PREFIX = "urn:tributary:problem:";

    private static final Map<Integer, String> CODES = Map.ofEntries(
            Map.entry(400, "bad_request"),
            Map.entry(401, "unauthorized"),
            Map.entry(403, "forbidden"),
            Map.entry(404, "not_found"),
            Map.entry(405, "method_not_allowed"),
            Map.entry(406, "not_acceptable"),
            Map.entry(409, "conflict"),
            Map.entry(413, "payload_too_large"),
            Map.entry(415, "unsupported_media_type"),
            Map.entry(422, "unprocessable"),
            Map.entry(429, "rate_limited"),
            Map.entry(503, "unavailable"));

    @Override
    public MutableHttpResponse<ProblemDetails> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        String requestId = RequestIdFilter.requestId(context.getRequest());
        if (!response.getHeaders().contains(RequestIdFilter.HEADER)) {
            // Requests the server refuses before routing (a head too long) pass no filter that would echo it.
            response.header(RequestIdFilter.HEADER, requestId);
        }
        Optional<ApiProblem> tooLong = tooLongHead(context.getRequest());
        tooLong.ifPresent(problem -> response.status(problem.status()));
        int status = response.code();
        ProblemDetails problem = tooLong.isPresent() ? details(tooLong.get(), requestId)
                : status >= 500 ? serverError(status, requestId, context)
                : clientError(status, requestId, context);
        return response.body(problem).contentType(MediaType.of(ProblemDetails.MEDIA_TYPE));
    }

    /**
     * Micronaut answers every request head that Netty could not decode because it was too long
     * with 413; Netty's cause says which limit it was: the request line (414) or the headers (431).
     */
    private static Optional<ApiProblem> tooLongHead(HttpRequest<?> request) {
        if (request instanceof NettyHttpRequest<?> netty && netty.getNativeRequest().decoderResult().isFailure()) {
            Throwable cause = netty.getNativeRequest().decoderResult().cause();
            if (cause instanceof TooLongHttpLineException) {
                return Optional.of(new ApiProblem(HttpStatus.REQUEST_URI_TOO_LONG, "uri_too_long",
                        "The request line (method, path and query) is longer than this server reads"));
            }
            if (cause instanceof TooLongHttpHeaderException) {
                return Optional.of(new ApiProblem(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large",
                        "The request headers are larger than this server reads"));
            }
        }
        return Optional.empty();
    }

    private static ProblemDetails details(ApiProblem problem, String requestId) {
        return new ProblemDetails(TYPE_PREFIX + problem.code(), reason(problem.status().getCode()),
                problem.status().getCode(), problem.getMessage(), problem.code(), requestId,
                problem.errors().isEmpty() ? null : problem.errors());
    }

    private static ProblemDetails serverError(int status, String requestId, ErrorContext context) {
        if (status == 503) {
            return new ProblemDetails(TYPE_PREFIX + "unavailable", reason(status), status,
                    "Service temporarily unavailable", "unavailable", requestId, null);
        }
        context.getRootCause().ifPresent(cause -> {
            try (var ignored = LogContext.apply(context.getRequest())) {
                LOG.error("Internal server error on {} {}", context.getRequest().getMethod(),
                        context.getRequest().getPath(), cause);
            }
        });
        return new ProblemDetails(TYPE_PREFIX + "internal_error", reason(status), status,
                "Internal server error", "internal_error", requestId, null);
    }

    private static ProblemDetails clientError(int status, String requestId, ErrorContext context) {
        if (context.getRootCause().orElse(null) instanceof ApiProblem problem) {
            return details(problem, requestId);
        }
        String code = CODES.getOrDefault(status, "client_error");
        String detail = detail(context);
        if (status == 400 && context.getRootCause().filter(ProblemResponseProcessor::isJsonSyntaxError).isPresent()) {
            code = "malformed_json";
            detail = malformedJsonDetail((JsonProcessingException) jsonCause(context.getRootCause().get()));
        } else if (status == 400 && cause(context, SerdeException.class) != null) {
            return bodyShapeProblem(requestId);
        }
        List<ProblemDetails.FieldError> errors = context.getErrors().stream()
                .filter(e -> e.getPath().isPresent())
                .map(e -> new ProblemDetails.FieldError(e.getPath().get(), e.getMessage()))
                .toList();
        return new ProblemDetails(TYPE_PREFIX + code, reason(status), status, detail, code, requestId,
                errors.isEmpty() ? null : errors);
    }

    /** A body that parsed but does not fit the endpoint, bound by the framework rather than {@code JsonBodies}. */
    private static ProblemDetails bodyShapeProblem(String requestId) {
        return new ProblemDetails(TYPE_PREFIX + "invalid_request", reason(400), 400,
                "The request body does not fit this endpoint", "invalid_request", requestId, null);
    }

    private static String detail(ErrorContext context) {
        List<String> messages = context.getErrors().stream().map(Error::getMessage).toList();
        return messages.isEmpty() ? "" : String.join("; ", messages);
    }

    private static Throwable cause(ErrorContext context, Class<? extends Throwable> type) {
        for (Throwable t = context.getRootCause().orElse(null); t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    private static boolean isJsonSyntaxError(Throwable cause) {
        return jsonCause(cause) != null;
    }

    private static Throwable jsonCause(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException) {
                return t;
            }
        }
        return null;
    }

    private static String malformedJsonDetail(JsonProcessingException error) {
        var location = error.getLocation();
        return location == null
                ? "The request body is not valid JSON"
                : "The request body is not valid JSON (line " + location.getLineNr()
                        + ", column " + location.getColumnNr() + ")";
    }

    private static String reason(int status) {
        try {
            return HttpStatus.valueOf(status).getReason();
        } catch (IllegalArgumentException e) {
            return "Error";
        }
    }
}
