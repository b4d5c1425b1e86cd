package dev.tributary.api.problem;

import dev.tributary.scheduler.Refusal;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * The one place a refusal every service shares ({@link Refusal}: apps, saved filters, the sync list) becomes a
 * problem: a member missing or wrong, or a target that writes nothing, is a 400 naming its field; an app the
 * request names that the tenant lacks a 404 (its detail names the member); an app whose configuration is broken
 * a 409 {@code app_config_invalid}.
 */
@Produces
@Singleton
public class RefusalProblemHandler implements ExceptionHandler<Refusal, HttpResponse<?>> {

    private final ApiProblemHandler problems;

    RefusalProblemHandler(ApiProblemHandler problems) {
        this.problems = problems;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, Refusal refusal) {
        return problems.handle(request, problem(refusal));
    }

    /** The refusal as the API says it. */
    public static ApiProblem problem(Refusal refusal) {
        if (refusal instanceof Refusal.InvalidField invalid) {
            return ApiProblem.invalidField(invalid.field(), invalid.reason());
        }
        if (refusal instanceof Refusal.AppNotFound) {
            // Its message says which member named the app: "No app crm (target_app_key)".
            return ApiProblem.notFound(refusal.getMessage());
        }
        if (refusal instanceof Refusal.NotADestination) {
            // Only a push's target must be a destination, and a request always names it in target_app_key.
            return ApiProblem.invalidField("target_app_key", refusal.getMessage());
        }
        if (refusal instanceof Refusal.AppConfigInvalid) {
            return new ApiProblem(HttpStatus.CONFLICT, "app_config_invalid", refusal.getMessage());
        }
        throw new IllegalArgumentException("no problem for " + refusal.getClass().getName(), refusal);
    }
}
