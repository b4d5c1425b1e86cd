package dev.tributary.api.auth;

import dev.tributary.tenancy.Role;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role an {@code /api} endpoint needs. Every {@code /api} route must
 * carry it; {@link TenantAuthenticationFilter} refuses routes that do not.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD})
public @interface RequiresRole {
    Role value();
}
