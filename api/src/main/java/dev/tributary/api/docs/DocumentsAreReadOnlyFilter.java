package dev.tributary.api.docs;

import dev.tributary.api.problem.ApiProblem;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.List;
import java.util.Map;

/**
 * The OpenAPI document, Swagger UI and the web console are files to read: any other method is 405. Micronaut
 * serves static resources to whatever method reaches no route, so {@code TRACE} or {@code DELETE
 * /openapi/tributary.yml} would otherwise answer 200 with the file.
 */
@ServerFilter({"/openapi/**", "/swagger-ui", "/swagger-ui/**", "/console", "/console/**"})
public class DocumentsAreReadOnlyFilter {

    @RequestFilter
    public void refuseAllButReads(HttpRequest<?> request) {
        if (request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD) {
            throw new ApiProblem(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    "Method " + request.getMethodName() + " is not allowed here; documents are read with GET",
                    List.of(), Map.of("Allow", "GET, HEAD"));
        }
    }
}
