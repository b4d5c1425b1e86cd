package dev.tributary.api.auth;

import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Lets an {@code /api} controller method take the {@link CallerTenant} the filter established. */
@Singleton
class CallerTenantBinder implements TypedRequestArgumentBinder<CallerTenant> {

    @Override
    public Argument<CallerTenant> argumentType() {
        return Argument.of(CallerTenant.class);
    }

    @Override
    public BindingResult<CallerTenant> bind(ArgumentConversionContext<CallerTenant> context, HttpRequest<?> source) {
        Optional<CallerTenant> caller = TenantAuthenticationFilter.caller(source);
        return () -> caller;
    }
}
