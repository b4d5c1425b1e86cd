package dev.tributary.api.app;

import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.ApiProblemHandler;
import dev.tributary.api.problem.RefusalProblemHandler;
import dev.tributary.scheduler.app.AppException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * The one place an app's own refusal ({@link AppException}, from scheduler's {@code Apps}) becomes a
 * problem: an unknown connector is a 400 naming {@code connector}, an unknown app a 404, a duplicate
 * or an app whose sync is running a 409. A broken rule is a {@code Refusal} ({@link RefusalProblemHandler}).
 */
@Produces
@Singleton
public class AppProblemHandler implements ExceptionHandler<AppException, HttpResponse<?>> {

    private final ApiProblemHandler problems;

    AppProblemHandler(ApiProblemHandler problems) {
        this.problems = problems;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, AppException exception) {
        return problems.handle(request, problem(exception));
    }

    /** The refusal as the API says it. */
    public static ApiProblem problem(AppException exception) {
        if (exception instanceof AppException.UnknownConnector unknown) {
            return ApiProblem.invalidField("connector", "unknown connector " + unknown.connector()
                    + "; see GET /api/connectors");
        }
        if (exception instanceof AppException.NotFound) {
            return ApiProblem.notFound(exception.getMessage());
        }
        if (exception instanceof AppException.AlreadyExists) {
            return new ApiProblem(HttpStatus.CONFLICT, "app_exists", exception.getMessage());
        }
        if (exception instanceof AppException.SyncRunning) {
            return new ApiProblem(HttpStatus.CONFLICT, "app_sync_running", exception.getMessage()
                    + "; cancel it (POST /api/sync/status/{sync_id}/cancel) or let it end, then delete");
        }
        throw new IllegalArgumentException("no problem for " + exception.getClass().getName(), exception);
    }
}
