package dev.tributary.api.filter;

import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.ApiProblemHandler;
import dev.tributary.scheduler.filter.SavedFilterException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * The one place a saved filter's refusal ({@link SavedFilterException}, from scheduler's {@code SavedFilters})
 * becomes a problem: a wrong member or a target that writes nothing is a 400 naming its field, an unknown filter
 * or app a 404, a name the owner already uses or an app whose configuration is broken a 409.
 */
@Produces
@Singleton
public class SavedFilterProblemHandler implements ExceptionHandler<SavedFilterException, HttpResponse<?>> {

    private final ApiProblemHandler problems;

    SavedFilterProblemHandler(ApiProblemHandler problems) {
        this.problems = problems;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, SavedFilterException exception) {
        return problems.handle(request, problem(exception));
    }

    /** The refusal as the API says it. */
    public static ApiProblem problem(SavedFilterException exception) {
        if (exception instanceof SavedFilterException.Invalid invalid) {
            return ApiProblem.invalidField(invalid.field(), invalid.reason());
        }
        if (exception instanceof SavedFilterException.NotFound || exception instanceof SavedFilterException.AppNotFound) {
            // An app's refusal says which member named it: "No app crm (target_app_key)".
            return ApiProblem.notFound(exception.getMessage());
        }
        if (exception instanceof SavedFilterException.NotADestination) {
            return ApiProblem.invalidField("target_app_key", exception.getMessage());
        }
        if (exception instanceof SavedFilterException.AlreadyExists) {
            return new ApiProblem(HttpStatus.CONFLICT, "saved_filter_exists", exception.getMessage());
        }
        if (exception instanceof SavedFilterException.AppConfigInvalid) {
            return new ApiProblem(HttpStatus.CONFLICT, "app_config_invalid", exception.getMessage());
        }
        throw new IllegalArgumentException("no problem for " + exception.getClass().getName(), exception);
    }
}
