package dev.tributary.scheduler.filter;

import dev.tributary.connector.Destination;
import dev.tributary.db.entity.EntityReader;
import dev.tributary.db.filter.FilterConfig;
import dev.tributary.db.filter.SavedFilter;
import dev.tributary.db.filter.SavedFilterRepository;
import dev.tributary.scheduler.Refusal;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.app.LoadedApp;
import dev.tributary.scheduler.push.PushEndpoints;
import dev.tributary.tenancy.Ownership;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A tenant's saved filters (seed 004's saved search patterns), for the API and whoever else needs one. A
 * filter picks records of a source app's collection and names the target app and collection they go to: the
 * source must sync that collection, the target's connector must be a {@link Destination} that writes the
 * target collection. Every read and write runs in the caller's {@link Ownership}, so row-level security keeps
 * other owners' filters out of reach; they are simply not found.
 */
@Singleton
public class SavedFilters {

    /** A page of the filters in scope, newest first, and how many there are in all. */
    public record Listing(List<SavedFilter> filters, long total) {
    }

    /** A page of the records a filter matches, in external-id order (as the records API pages). */
    public record Matches(SavedFilter filter, EntityReader.Page page) {
    }

    private static final int LONGEST_NAME = 200;
    private static final int LONGEST_DESCRIPTION = 2000;

    private final SavedFilterRepository filters;
    private final Apps apps;
    private final PushEndpoints endpoints;
    private final EntityReader reader;
    private final TenantScope scope;
    private final Clock clock;

    SavedFilters(SavedFilterRepository filters, Apps apps, PushEndpoints endpoints, EntityReader reader,
                 TenantScope scope, Clock clock) {
        this.filters = filters;
        this.apps = apps;
        this.endpoints = endpoints;
        this.reader = reader;
        this.scope = scope;
        this.clock = clock;
    }

    /** Checks and stores a new filter, owned by {@code ownership}'s owner. */
    public SavedFilter create(TenantId tenant, Ownership ownership, SavedFilterDefinition definition) {
        String name = name(definition.name());
        String description = description(definition.description());
        String sourceAppKey = PushEndpoints.key("source_app_key", definition.sourceAppKey());
        String collection = PushEndpoints.key("collection", definition.collection());
        String targetAppKey = PushEndpoints.key("target_app_key", definition.targetAppKey());
        if (definition.targetCollection() != null) {
            PushEndpoints.key("target_collection", definition.targetCollection());
        }
        FilterConfig filter = filter(required("filter_config", definition.filterConfig()));
        endpoints.source(tenant, sourceAppKey, collection);
        String targetCollection = endpoints.targetCollection(tenant, targetAppKey, definition.targetCollection());
        Instant now = clock.instant();
        SavedFilter saved = new SavedFilter(tenant.value(), UUID.randomUUID(), ownership.owner(), name, description,
                sourceAppKey, collection, targetAppKey, targetCollection, filter.asMap(), now, now);
        // One insert decides, so of two requests naming a filter alike the second is told it exists.
        if (!named(name, () -> scope.write(tenant, ownership, () -> filters.insertIfAbsent(saved)))) {
            throw new SavedFilterException.AlreadyExists(name);
        }
        return scope.read(tenant, ownership, () -> filters.find(tenant.value(), saved.id())).orElseThrow();
    }

    public Listing list(TenantId tenant, Ownership ownership, String sourceAppKey, String collection, int limit,
                        long offset) {
        return scope.read(tenant, ownership, () -> new Listing(
                filters.list(tenant.value(), sourceAppKey, collection, limit, offset),
                filters.count(tenant.value(), sourceAppKey, collection)));
    }

    public SavedFilter get(TenantId tenant, Ownership ownership, UUID id) {
        return scope.read(tenant, ownership, () -> filters.find(tenant.value(), id))
                .orElseThrow(() -> new SavedFilterException.NotFound(id));
    }

    /** Applies {@code change} to the filter, checked as a creation is; concurrent changes apply one after the other. */
    public SavedFilter update(TenantId tenant, Ownership ownership, UUID id, SavedFilterChange change) {
        String name = change.name() == null ? null : name(change.name());
        String description = description(change.description());
        if (change.targetCollection() != null) {
            PushEndpoints.key("target_collection", change.targetCollection());
        }
        FilterConfig filter = change.filterConfig() == null ? null : filter(change.filterConfig());
        SavedFilter current = get(tenant, ownership, id);
        // The target app's writable collections are the connector's to say, outside the row's lock.
        String targetCollection = change.targetCollection() == null ? current.targetCollection()
                : endpoints.targetCollection(tenant, current.targetAppKey(), change.targetCollection());
        return named(name == null ? current.name() : name, () -> scope.write(tenant, ownership, () -> {
            SavedFilter locked = filters.findLocked(tenant.value(), id)
                    .orElseThrow(() -> new SavedFilterException.NotFound(id));
            SavedFilter changed = new SavedFilter(locked.tenantId(), locked.id(), locked.owner(),
                    name == null ? locked.name() : name,
                    change.description() == null ? locked.description() : description,
                    locked.sourceAppKey(), locked.collectionKey(), locked.targetAppKey(), targetCollection,
                    filter == null ? locked.filterConfig() : filter.asMap(), locked.createdAt(), clock.instant());
            filters.update(changed);
            return filters.find(tenant.value(), id).orElseThrow();
        }));
    }

    public void delete(TenantId tenant, Ownership ownership, UUID id) {
        if (scope.write(tenant, ownership, () -> filters.delete(tenant.value(), id)) == 0) {
            throw new SavedFilterException.NotFound(id);
        }
    }

    /**
     * A page of the records of the filter's source collection that it matches, after {@code afterExternalId}
     * (null: from the first); archived ones only with {@code includeArchived}.
     */
    public Matches matches(TenantId tenant, Ownership ownership, UUID id, String afterExternalId,
                           boolean includeArchived, int limit) {
        SavedFilter filter = get(tenant, ownership, id);
        LoadedApp source = apps.load(tenant, filter.sourceAppKey())
                .orElseThrow(() -> new SavedFilterException.NotFound(id)); // deleting the app deletes its filters
        EntityReader.Selection selection = new EntityReader.Selection(afterExternalId, null, includeArchived,
                List.of(), filter.filter());
        EntityReader.Page page = scope.readJdbc(tenant, connection -> reader.page(connection, tenant.value(),
                filter.sourceAppKey(), filter.collectionKey(), source.context().syncFrom(), selection, limit));
        return new Matches(filter, page);
    }

    /** Runs a write that may take {@code name}; its owner's filter of that name already there is AlreadyExists. */
    private static <T> T named(String name, Supplier<T> write) {
        try {
            return write.get();
        } catch (RuntimeException e) {
            if (SavedFilterRepository.nameTaken(e)) {
                throw new SavedFilterException.AlreadyExists(name);
            }
            throw e;
        }
    }

    private static Object required(String field, Object value) {
        if (value == null) {
            throw new Refusal.InvalidField(field, "is required");
        }
        return value;
    }

    private static String name(String value) {
        String name = value == null ? "" : value.strip();
        if (name.isEmpty()) {
            throw new Refusal.InvalidField("name", "is required");
        }
        if (name.length() > LONGEST_NAME) {
            throw new Refusal.InvalidField("name", "must be at most " + LONGEST_NAME + " characters");
        }
        return name;
    }

    private static String description(String value) {
        if (value != null && value.length() > LONGEST_DESCRIPTION) {
            throw new Refusal.InvalidField("description", "must be at most " + LONGEST_DESCRIPTION
                    + " characters");
        }
        return value;
    }

    private static FilterConfig filter(Object value) {
        try {
            return FilterConfig.parse(value, "filter_config");
        } catch (FilterConfig.Invalid e) {
            throw new Refusal.InvalidField(e.field(), e.reason());
        }
    }
}
