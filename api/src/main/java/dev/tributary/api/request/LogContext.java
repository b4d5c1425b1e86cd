package dev.tributary.api.request;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import org.slf4j.MDC;

import java.util.HashMap;
import java.util.Map;

/**
 * The fields every log line of a request carries ({@code request_id},
 * {@code tenant}, …). They travel with the request across threads as one MDC map,
 * and are kept on the request too, for code that logs outside that flow (the error
 * mapper).
 */
public final class LogContext {

    private static final String ATTRIBUTE = "tributary.log_fields";

    private LogContext() {
    }

    public static void put(HttpRequest<?> request, MutablePropagatedContext context, String key, String value) {
        Map<String, String> fields = new HashMap<>(fields(request));
        fields.put(key, value);
        request.setAttribute(ATTRIBUTE, Map.copyOf(fields));
        var current = context.getContext().find(MdcPropagationContext.class);
        var larger = new MdcPropagationContext(fields);
        if (current.isPresent()) {
            context.replace(current.get(), larger);
        } else {
            context.add(larger);
        }
    }

    /** A stretch of code logging with a request's fields. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Puts the request's fields in the MDC until the returned scope closes. */
    public static Scope apply(HttpRequest<?> request) {
        Map<String, String> previous = MDC.getCopyOfContextMap();
        fields(request).forEach(MDC::put);
        return () -> {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> fields(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, Map.class).orElse(Map.of());
    }
}
