package dev.tributary.api.admin;

import dev.tributary.api.docs.AdminApi;
import dev.tributary.api.docs.ApiParameters;
import dev.tributary.api.docs.ProblemResponses;
import dev.tributary.api.docs.TenantApi;
import dev.tributary.api.list.PageRequest;
import dev.tributary.api.problem.ApiProblem;
import dev.tributary.api.problem.JsonBodies;
import dev.tributary.tenancy.ApiKey;
import dev.tributary.tenancy.ApiKeys;
import dev.tributary.tenancy.Role;
import dev.tributary.tenancy.Tenant;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Operator endpoints: tenants and their API keys. Behind {@link AdminAccessRule}, for the admin key only. */
@Controller("/admin/tenants")
@Secured(AdminKeyValidator.OPERATOR)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "admin")
@AdminApi
class AdminController {

    static final String ROLES_DESCRIPTION = "`sync:read` < `sync:write` < `sync:admin` (each implies the weaker)";

    @Schema(name = "TenantCreate")
    @Serdeable
    record CreateTenant(
            @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = false, pattern = TenantApi.KEY_PATTERN, example = "acme",
                    description = "the tenant's id, as clients send it in `X-Tenant-ID`") String id,
            @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = false, minLength = 1, maxLength = 200, example = "Acme")
            String name) {
    }

    @Schema(name = "Tenant")
    @Serdeable
    record TenantView(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = TenantApi.KEY_PATTERN) String id, String name, Instant createdAt,
                      @Nullable @Schema(nullable = false, description = "when it was disabled; absent while enabled")
                      Instant disabledAt) {
        static TenantView of(Tenant tenant) {
            return new TenantView(tenant.id(), tenant.name(), tenant.createdAt(), tenant.disabledAt());
        }
    }

    @Schema(name = "ApiKeyCreate")
    @Serdeable
    record CreateApiKey(
            @Nullable @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = false, minLength = 1, maxLength = 200, example = "ci") String name,
            @Nullable @ArraySchema(minItems = 1, schema = @Schema(allowableValues = {"sync:read", "sync:write", "sync:admin"}),
                    arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = false, description = ROLES_DESCRIPTION)) List<String> roles) {
    }

    @Schema(name = "IssuedApiKey", description = "A new key: `key` is shown this once, never again.")
    @Serdeable
    record IssuedApiKeyView(UUID id, String name,
                            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the bearer token; only its hash is kept") String key,
                            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the key's first characters, to recognize it by") String prefix,
                            @ArraySchema(schema = @Schema(allowableValues = {"sync:read", "sync:write", "sync:admin"}))
                            List<String> roles,
                            Instant createdAt) {
        @Override
        public String toString() {
            return "IssuedApiKeyView[" + prefix + "…]";
        }
    }

    @Schema(name = "ApiKey", description = "A key as listed: never the key itself.")
    @Serdeable
    record ApiKeyView(UUID id, String name, String prefix,
                      @ArraySchema(schema = @Schema(allowableValues = {"sync:read", "sync:write", "sync:admin"}))
                      List<String> roles,
                      Instant createdAt,
                      @Nullable @Schema(nullable = false, description = "absent until first used") Instant lastUsedAt,
                      @Nullable @Schema(nullable = false, description = "absent while the key works") Instant revokedAt) {
        static ApiKeyView of(ApiKey key) {
            return new ApiKeyView(key.id(), key.name(), key.prefix(), List.of(key.roles()), key.createdAt(),
                    key.lastUsedAt(), key.revokedAt());
        }
    }

    @Schema(name = "TenantPage", description = "A page of tenants, newest first.")
    @Serdeable
    record TenantPage(List<TenantView> items, int limit, long offset, long total) {
    }

    @Schema(name = "ApiKeyPage", description = "All of a tenant's keys, revoked ones included.")
    @Serdeable
    record ApiKeyPage(List<ApiKeyView> items, int limit, long offset, long total) {
    }

    private final TenantRepository tenants;
    private final ApiKeys apiKeys;
    private final Clock clock;
    private final JsonBodies bodies;

    AdminController(TenantRepository tenants, ApiKeys apiKeys, Clock clock, JsonBodies bodies) {
        this.tenants = tenants;
        this.apiKeys = apiKeys;
        this.clock = clock;
        this.bodies = bodies;
    }

    @Operation(operationId = "createTenant", summary = "Create a tenant",
            description = "A new tenant, enabled. 409 `tenant_exists` when the id is taken. Operator key.")
    @ApiResponse(responseCode = "201", description = "Created; `Location` is its URL.",
            content = @Content(schema = @Schema(implementation = TenantView.class)), headers = {
            @Header(name = ProblemResponses.LOCATION, description = "`/admin/tenants/{id}`", required = true,
                    schema = @Schema(type = "string")),
            @Header(name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
                    required = true, schema = @Schema(type = "string"))})
    @ProblemResponses.JsonBody
    @ProblemResponses.Conflict
    @Post
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = CreateTenant.class)))
    HttpResponse<TenantView> createTenant(@Nullable @Body byte[] body) {
        CreateTenant request = bodies.read(body, CreateTenant.class);
        if (request.id() == null) {
            throw ApiProblem.invalidField("id", "is required");
        }
        if (!TenantId.isValid(request.id())) {
            throw ApiProblem.invalidField("id", "must match " + TenantId.VALID.pattern());
        }
        String name = requiredText("name", request.name(), 200);
        // One insert decides, so of two requests creating one tenant at once the second is told it exists.
        if (tenants.insertIfMissing(request.id(), name, clock.instant()) == 0) {
            throw new ApiProblem(HttpStatus.CONFLICT, "tenant_exists", "Tenant " + request.id() + " already exists");
        }
        return HttpResponse.created(TenantView.of(existing(request.id())), URI.create("/admin/tenants/" + request.id()));
    }

    @Operation(operationId = "listTenants", summary = "List tenants",
            description = "Every tenant, newest first. Operator key.")
    @ApiResponse(responseCode = "200", description = "A page of tenants.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @Get
    TenantPage listTenants(@ApiParameters.Limit @Nullable @QueryValue Integer limit, @ApiParameters.Offset @Nullable @QueryValue Long offset) {
        PageRequest page = PageRequest.of(limit, offset);
        var items = tenants.listNewestFirst(page.limit(), page.offset()).stream().map(TenantView::of).toList();
        return new TenantPage(items, page.limit(), page.offset(), tenants.count());
    }

    @Operation(operationId = "getTenant", summary = "Get a tenant", description = "One tenant. Operator key.")
    @ApiResponse(responseCode = "200", description = "The tenant.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @Get("/{id}")
    TenantView getTenant(@ApiParameters.TenantPath @PathVariable String id) {
        return TenantView.of(existing(id));
    }

    @Operation(operationId = "disableTenant", summary = "Disable a tenant",
            description = "From now on every `/api` call for it answers 403; its data, apps and schedules stay."
                    + " Disabling a disabled tenant changes nothing. Operator key.")
    @ApiResponse(responseCode = "200", description = "The tenant, disabled.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @Post("/{id}/disable")
    TenantView disable(@ApiParameters.TenantPath @PathVariable String id) {
        Tenant tenant = existing(id);
        if (!tenant.disabled()) {
            tenants.updateDisabledAt(id, clock.instant());
        }
        return TenantView.of(existing(id));
    }

    @Operation(operationId = "enableTenant", summary = "Enable a tenant",
            description = "Lets the tenant's credentials in again. Operator key.")
    @ApiResponse(responseCode = "200", description = "The tenant, enabled.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @Post("/{id}/enable")
    TenantView enable(@ApiParameters.TenantPath @PathVariable String id) {
        existing(id);
        tenants.updateDisabledAt(id, null);
        return TenantView.of(existing(id));
    }

    @Operation(operationId = "createApiKey", summary = "Issue an API key",
            description = "A new key for the tenant with the roles given; the answer is the only time the key"
                    + " is shown (only its SHA-256 is stored). Operator key.")
    @ApiResponse(responseCode = "201", description = "Issued; `Location` is its URL.",
            content = @Content(schema = @Schema(implementation = IssuedApiKeyView.class)), headers = {
            @Header(name = ProblemResponses.LOCATION, description = "`/admin/tenants/{id}/api-keys/{key_id}`, where it is revoked", required = true,
                    schema = @Schema(type = "string")),
            @Header(name = ProblemResponses.REQUEST_ID, description = ProblemResponses.REQUEST_ID_DESCRIPTION,
                    required = true, schema = @Schema(type = "string"))})
    @ProblemResponses.JsonBody
    @Post("/{id}/api-keys")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = CreateApiKey.class)))
    HttpResponse<IssuedApiKeyView> createApiKey(@ApiParameters.TenantPath @PathVariable String id, @Nullable @Body byte[] body) {
        Tenant tenant = existing(id);
        CreateApiKey request = bodies.read(body, CreateApiKey.class);
        String name = requiredText("name", request.name(), 200);
        if (request.roles() == null || request.roles().isEmpty()) {
            throw ApiProblem.invalidField("roles", "must name at least one of sync:read, sync:write, sync:admin");
        }
        List<Role> roles = new ArrayList<>();
        for (String claim : request.roles()) {
            roles.add(Role.fromClaim(claim).orElseThrow(() -> ApiProblem.invalidField("roles",
                    "unknown role " + claim + "; use sync:read, sync:write or sync:admin")));
        }
        var issued = apiKeys.issue(new TenantId(tenant.id()), name, roles);
        ApiKey stored = issued.stored();
        return HttpResponse.created(new IssuedApiKeyView(stored.id(), stored.name(), issued.key(), stored.prefix(),
                List.of(stored.roles()), stored.createdAt()), URI.create("/admin/tenants/" + id + "/api-keys/" + stored.id()));
    }

    @Operation(operationId = "listApiKeys", summary = "List a tenant's API keys",
            description = "Every key of the tenant, revoked ones included, without the keys themselves. Operator key.")
    @ApiResponse(responseCode = "200", description = "The keys.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @Get("/{id}/api-keys")
    ApiKeyPage listApiKeys(@ApiParameters.TenantPath @PathVariable String id) {
        Tenant tenant = existing(id);
        var keys = apiKeys.list(new TenantId(tenant.id())).stream().map(ApiKeyView::of).toList();
        return new ApiKeyPage(keys, keys.size(), 0, keys.size());
    }

    @Operation(operationId = "revokeApiKey", summary = "Revoke an API key",
            description = "The key's next request gets 401; it stays listed, with `revoked_at`. Operator key.")
    @ApiResponse(responseCode = "200", description = "The key, revoked.", headers = @Header(name = ProblemResponses.REQUEST_ID,
            description = ProblemResponses.REQUEST_ID_DESCRIPTION, required = true, schema = @Schema(type = "string")))
    @Delete("/{id}/api-keys/{keyId}")
    ApiKeyView revokeApiKey(@ApiParameters.TenantPath @PathVariable String id, @Parameter(description = "the key's id", schema = @Schema(type = "string", format = "uuid"))
                            @PathVariable String keyId) {
        Tenant tenant = existing(id);
        UUID key;
        try {
            key = UUID.fromString(keyId);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("No API key " + keyId + " for tenant " + id);
        }
        return apiKeys.revoke(new TenantId(tenant.id()), key).map(ApiKeyView::of)
                .orElseThrow(() -> ApiProblem.notFound("No API key " + keyId + " for tenant " + id));
    }

    private Tenant existing(String id) {
        return (TenantId.isValid(id) ? tenants.findById(id) : java.util.Optional.<Tenant>empty())
                .orElseThrow(() -> ApiProblem.notFound("No tenant " + id));
    }

    private static String requiredText(String field, @Nullable String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.invalidField(field, "is required");
        }
        if (value.length() > maxLength) {
            throw ApiProblem.invalidField(field, "must be at most " + maxLength + " characters");
        }
        return value.strip();
    }
}
