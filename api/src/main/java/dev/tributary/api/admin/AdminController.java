package dev.tributary.api.admin;

import dev.tributary.api.list.ListResponse;
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
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;

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
class AdminController {

    @Serdeable
    record CreateTenant(@Nullable String id, @Nullable String name) {
    }

    @Serdeable
    record TenantView(String id, String name, Instant createdAt, @Nullable Instant disabledAt) {
        static TenantView of(Tenant tenant) {
            return new TenantView(tenant.id(), tenant.name(), tenant.createdAt(), tenant.disabledAt());
        }
    }

    @Serdeable
    record CreateApiKey(@Nullable String name, @Nullable List<String> roles) {
    }

    @Serdeable
    record IssuedApiKeyView(UUID id, String name, String key, String prefix, List<String> roles, Instant createdAt) {
        @Override
        public String toString() {
            return "IssuedApiKeyView[" + prefix + "…]";
        }
    }

    @Serdeable
    record ApiKeyView(UUID id, String name, String prefix, List<String> roles, Instant createdAt,
                      @Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {
        static ApiKeyView of(ApiKey key) {
            return new ApiKeyView(key.id(), key.name(), key.prefix(), List.of(key.roles()), key.createdAt(),
                    key.lastUsedAt(), key.revokedAt());
        }
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

    @Post
    @RequestBody(content = @Content(schema = @Schema(implementation = CreateTenant.class)))
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
        return HttpResponse.created(TenantView.of(existing(request.id())));
    }

    @Get
    ListResponse<TenantView> listTenants(@Nullable @QueryValue Integer limit, @Nullable @QueryValue Long offset) {
        PageRequest page = PageRequest.of(limit, offset);
        var items = tenants.listNewestFirst(page.limit(), page.offset()).stream().map(TenantView::of).toList();
        return new ListResponse<>(items, page.limit(), page.offset(), tenants.count());
    }

    @Get("/{id}")
    TenantView getTenant(@PathVariable String id) {
        return TenantView.of(existing(id));
    }

    @Post("/{id}/disable")
    TenantView disable(@PathVariable String id) {
        Tenant tenant = existing(id);
        if (!tenant.disabled()) {
            tenants.updateDisabledAt(id, clock.instant());
        }
        return TenantView.of(existing(id));
    }

    @Post("/{id}/enable")
    TenantView enable(@PathVariable String id) {
        existing(id);
        tenants.updateDisabledAt(id, null);
        return TenantView.of(existing(id));
    }

    @Post("/{id}/api-keys")
    @RequestBody(content = @Content(schema = @Schema(implementation = CreateApiKey.class)))
    HttpResponse<IssuedApiKeyView> createApiKey(@PathVariable String id, @Nullable @Body byte[] body) {
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
                List.of(stored.roles()), stored.createdAt()));
    }

    @Get("/{id}/api-keys")
    ListResponse<ApiKeyView> listApiKeys(@PathVariable String id) {
        Tenant tenant = existing(id);
        var keys = apiKeys.list(new TenantId(tenant.id())).stream().map(ApiKeyView::of).toList();
        return new ListResponse<>(keys, keys.size(), 0, keys.size());
    }

    @Delete("/{id}/api-keys/{keyId}")
    ApiKeyView revokeApiKey(@PathVariable String id, @PathVariable String keyId) {
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
