package dev.tributary.api.filter;

import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.ApiProblemHandler;
import dev.tributary.api.problem.RefusalProblemHandler;
import dev.tributary.scheduler.filter.SavedFilterException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * The one place a saved filter's own refusal ({@link SavedFilterException}, from scheduler's {@code SavedFilters})
 * becomes a problem: an unknown filter is a 404, a name the owner already uses a 409. A wrong member and the
 * checks of the filter's apps are {@code Refusal}s ({@link RefusalProblemHandler}).
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
        if (exception instanceof SavedFilterException.NotFound) {
            return ApiProblem.notFound(exception.getMessage());
        }
        if (exception instanceof SavedFilterException.AlreadyExists) {
            return new ApiProblem(HttpStatus.CONFLICT, "saved_filter_exists", exception.getMessage());
        }
        throw new IllegalArgumentException("no problem for " + exception.getClass().getName(), exception);
    }
}
