package dev.tributary.api.docs;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;

import java.net.URI;

/** {@code /swagger-ui} opens the Swagger UI page generated at build time over {@code /openapi/tributary.yml}. */
@Hidden
@Controller("/swagger-ui")
@Secured(SecurityRule.IS_ANONYMOUS)
class SwaggerUiController {

    @Get
    HttpResponse<?> index() {
        return HttpResponse.permanentRedirect(URI.create("/swagger-ui/index.html"));
    }
}
