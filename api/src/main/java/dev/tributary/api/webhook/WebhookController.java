package dev.tributary.api.webhook;

import dev.tributary.api.docs.ProblemResponses;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.ProblemDetails;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.Identifiers;
import dev.tributary.connector.WebhookRequest;
import dev.tributary.scheduler.webhook.WebhookIngest;
import dev.tributary.tenancy.TenantId;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.extensions.Extension;
import io.swagger.v3.oas.annotations.extensions.ExtensionProperty;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code POST /webhooks/{tenant_id}/{app_key}}: where providers deliver their events.
 * No bearer token: the connector's signature check is the only authentication, so an
 * unknown tenant or app is a 404 and a signature that does not check out a 400 whose
 * detail says nothing of why (the reason is logged and counted; a connector that takes
 * no webhooks refuses every signature). A signed event that cannot be applied is
 * answered 200 {@code failed} (see {@link WebhookIngest}); an app whose configuration
 * is broken, 409, which the provider retries once it is fixed. The 1 MB body limit
 * applies as everywhere (413), and each app's rate limit before anything else (429).
 */
@Controller("/webhooks")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "webhooks")
class WebhookController {

    private final WebhookIngest ingest;

    WebhookController(WebhookIngest ingest) {
        this.ingest = ingest;
    }

    /**
     * What became of a delivery: {@code processed}, {@code duplicate} (a replay, applied or failed before),
     * {@code ignored} (a collection the app does not sync) or {@code failed} (recorded, not applied).
     */
    @Schema(name = "WebhookReceipt")
    @Serdeable
    record Receipt(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the provider's event id, or"
                           + " `sha256:` and the body's hash when it has none") String eventId,
                   @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                           allowableValues = {"processed", "duplicate", "ignored", "failed"}) String status) {
    }

    // x-internal: providers call this, not clients, so openapi-generator leaves it out of the SDKs.
    @Operation(operationId = "receiveWebhook", summary = "Receive a provider's webhook",
            description = "Where a provider delivers its events. Authenticated by the connector's signature check"
                    + " (`Stripe-Signature`, `X-Hub-Signature`), not by a bearer token. A verified event is applied"
                    + " at once and recorded once per event id; a signed event that cannot be applied is recorded"
                    + " as `failed` and answered 200 all the same (the provider would only send it again). A"
                    + " signature that does not check out, or a malformed `app_key`: 400 (`invalid_signature`,"
                    + " `invalid_app_key`). An app whose configuration is broken: 409 `app_config_invalid`.",
            extensions = @Extension(properties = @ExtensionProperty(name = "x-internal", value = "true",
                    parseValue = true)),
            // No bearer credential: the signature is the authentication.
            security = {})
    @RequestBody(required = true, description = "the provider's event, as it sends it", content = @Content(
            mediaType = "application/json", schema = @Schema(type = "object",
            additionalProperties = Schema.AdditionalPropertiesValue.TRUE)))
    @ApiResponse(responseCode = "200", description = "What became of the delivery.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "A signature that does not check out (`invalid_signature`) or"
            + " a malformed `app_key` (`invalid_app_key`).",
            content = @Content(mediaType = ProblemResponses.PROBLEM, schema = @Schema(implementation = ProblemDetails.class)),
            headers = @Header(name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
                    required = true, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    @ProblemResponses.PayloadTooLarge
    @ProblemResponses.TooManyRequests
    @ProblemResponses.ServerErrors
    @Post(uri = "/{tenantId}/{appKey}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    Receipt receive(@Parameter(description = "the tenant's id") @PathVariable String tenantId,
                    @Parameter(description = "the app's key") @PathVariable String appKey, HttpRequest<?> request,
                    @Nullable @Body byte[] body) {
        if (!Identifiers.isValidKey(appKey)) {
            throw ApiProblem.badRequest("invalid_app_key", "app_key must match " + Identifiers.KEY.pattern());
        }
        TenantId tenant = TenantId.parse(tenantId).orElseThrow(WebhookController::unknown);
        try {
            var result = ingest.ingest(tenant, appKey,
                    new WebhookRequest(headers(request), body == null ? new byte[0] : body))
                    .orElseThrow(WebhookController::unknown);
            return new Receipt(result.eventId(), result.outcome().name().toLowerCase(Locale.ROOT));
        } catch (ConnectorException.WebhookVerificationFailed e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_signature", "The webhook signature is not valid");
        } catch (ConnectorException e) {
            throw new ApiProblem(HttpStatus.CONFLICT, "app_config_invalid",
                    "App " + appKey + " cannot take events until its configuration is fixed");
        }
    }

    private static ApiProblem unknown() {
        return ApiProblem.notFound("No such tenant or app");
    }

    private static Map<String, List<String>> headers(HttpRequest<?> request) {
        Map<String, List<String>> headers = new TreeMap<>();
        request.getHeaders().forEach((name, values) ->
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values));
        return headers;
    }
}
