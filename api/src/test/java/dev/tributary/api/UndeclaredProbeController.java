package dev.tributary.api;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** Test-only: an endpoint outside /api that declares no {@code @Secured}, which must refuse every caller. */
@Controller("/undeclared-probe")
class UndeclaredProbeController {

    @Get
    String undeclared() {
        return "no route without a role should answer this";
    }
}
