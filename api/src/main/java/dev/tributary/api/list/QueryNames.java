package dev.tributary.api.list;

import dev.tributary.api.problem.ApiProblem;
import io.micronaut.http.HttpParameters;
import io.micronaut.http.HttpRequest;

import java.util.List;

/**
 * The parameter names an endpoint takes, checked before its values are read: a name it does not take, or one
 * given twice, is a 400 naming it — a misspelt filter would otherwise widen the listing silently, and of a
 * repeated one only the first would count. The values themselves bind to the controller's {@code @QueryValue}s.
 */
public record QueryNames(List<String> names) {

    public QueryNames {
        names = List.copyOf(names);
    }

    public static QueryNames of(String... names) {
        return new QueryNames(List.of(names));
    }

    /** Refuses the request's first unknown or repeated parameter, or one holding a NUL character. */
    public void check(HttpRequest<?> request) {
        HttpParameters parameters = request.getParameters();
        for (String name : parameters.names()) {
            if (!names.contains(name)) {
                throw ApiProblem.invalidField(name, "is not a parameter of this endpoint; it takes "
                        + String.join(", ", names));
            }
            List<String> values = parameters.getAll(name);
            if (values.size() > 1) {
                throw ApiProblem.invalidField(name, "give it once");
            }
            if (values.get(0).indexOf('\0') >= 0) {
                throw ApiProblem.invalidField(name, "must not contain NUL characters");
            }
        }
    }
}
