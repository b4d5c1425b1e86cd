package dev.tributary.api.auth;

import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.ApiProblemHandler;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.micronaut.web.router.RouteAttributes;
import jakarta.inject.Singleton;

/**
 * Answers micronaut-security's own refusals as our problem documents, where its handler would answer with
 * its own body and challenge: no credential → 401 {@code unauthorized} with {@code WWW-Authenticate: Bearer};
 * a credential without the role the route's {@code @Secured} names → 403 {@code forbidden} naming the role;
 * a route that declares no {@code @Secured} refuses every caller the same way.
 */
@Produces
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class AuthorizationProblemHandler implements ExceptionHandler<AuthorizationException, HttpResponse<?>> {

    private final ApiProblemHandler problems;

    public AuthorizationProblemHandler(ApiProblemHandler problems) {
        this.problems = problems;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
        return problems.handle(request, exception.isForbidden() ? missingRole(request) : TenantAccessRule.noCredential());
    }

    private static ApiProblem missingRole(HttpRequest<?> request) {
        String[] roles = RouteAttributes.getRouteInfo(request)
                .map(route -> route.getAnnotationMetadata().stringValues(Secured.class))
                .orElse(new String[0]);
        return ApiProblem.forbidden(roles.length == 0 ? "This operation is not open to any credential"
                : "This operation needs the role " + String.join(" or ", roles));
    }
}
