package dev.tributary.api.synclist;

import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.ApiProblemHandler;
import dev.tributary.api.problem.RefusalProblemHandler;
import dev.tributary.scheduler.synclist.SyncListException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * The one place a sync list's own refusal ({@link SyncListException}, from scheduler's {@code SyncLists}) becomes
 * a problem: anything not in the caller's scope is a 404, a record already listed or nothing to push a 409. A
 * broken rule and the checks of an item's apps are {@code Refusal}s ({@link RefusalProblemHandler}).
 */
@Produces
@Singleton
public class SyncListProblemHandler implements ExceptionHandler<SyncListException, HttpResponse<?>> {

    private final ApiProblemHandler problems;

    SyncListProblemHandler(ApiProblemHandler problems) {
        this.problems = problems;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, SyncListException exception) {
        return problems.handle(request, problem(exception));
    }

    /** The refusal as the API says it. */
    static ApiProblem problem(SyncListException exception) {
        if (exception instanceof SyncListException.NotFound) {
            return ApiProblem.notFound(exception.getMessage());
        }
        if (exception instanceof SyncListException.AlreadyListed) {
            return new ApiProblem(HttpStatus.CONFLICT, "sync_list_item_exists", exception.getMessage());
        }
        if (exception instanceof SyncListException.NothingActive) {
            return new ApiProblem(HttpStatus.CONFLICT, "no_active_items", exception.getMessage());
        }
        throw new IllegalArgumentException("no problem for " + exception.getClass().getName(), exception);
    }
}
