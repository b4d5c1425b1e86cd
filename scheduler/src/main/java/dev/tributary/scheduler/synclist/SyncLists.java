package dev.tributary.scheduler.synclist;

import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.FieldMapping;
import dev.tributary.db.entity.EntityReader;
import dev.tributary.db.filter.SavedFilter;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.db.run.SyncRun;
import dev.tributary.db.synclist.SyncListItem;
import dev.tributary.db.synclist.SyncListItems;
import dev.tributary.scheduler.Refusal;
import dev.tributary.scheduler.app.LoadedApp;
import dev.tributary.scheduler.filter.SavedFilterException;
import dev.tributary.scheduler.filter.SavedFilters;
import dev.tributary.scheduler.push.PushEndpoints;
import dev.tributary.scheduler.push.Pushes;
import dev.tributary.tenancy.Ownership;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A tenant's sync list (seed 004): source records kept in step with a target app's records, added one at a time
 * or as every match of a saved filter, changed, removed, and pushed by hand in delta mode. An item's source app
 * must sync its collection and hold the record, synced and not archived; its target must be a destination that
 * writes the target collection ({@link PushEndpoints}, the checks saved filters make). Every read and write runs
 * in the caller's {@link Ownership}, so row-level security keeps other owners' items out of reach: they are
 * simply not found.
 */
@Singleton
public class SyncLists {

    /** A page of the items in scope, newest first, and how many the filter selects in all. */
    public record Listing(List<SyncListItem> items, long total) {
    }

    /** The most items a delta sync names by id, as a trigger's ids. */
    public static final int MOST_IDS = 1_000;
    private static final int LONGEST_SOURCE_ID = 255;

    private final SyncListItems items;
    private final SavedFilters filters;
    private final PushEndpoints endpoints;
    private final Pushes pushes;
    private final EntityReader entities;
    private final TenantScope scope;

    SyncLists(SyncListItems items, SavedFilters filters, PushEndpoints endpoints, Pushes pushes,
              EntityReader entities, TenantScope scope) {
        this.items = items;
        this.filters = filters;
        this.endpoints = endpoints;
        this.pushes = pushes;
        this.entities = entities;
        this.scope = scope;
    }

    /**
     * Checks and adds one item, owned by {@code ownership}'s owner; {@link SyncListException.AlreadyListed} when the
     * list holds the record for that target already.
     */
    public SyncListItem add(TenantId tenant, Ownership ownership, SyncListItemDefinition definition) {
        String sourceAppKey = PushEndpoints.key("source_app_key", definition.sourceAppKey());
        String collection = PushEndpoints.key("collection", definition.collection());
        String sourceId = sourceId(definition.sourceId());
        String targetAppKey = PushEndpoints.key("target_app_key", definition.targetAppKey());
        if (definition.targetCollection() != null) {
            PushEndpoints.key("target_collection", definition.targetCollection());
        }
        RunMode mode = mode(definition.syncMode());
        Map<String, Object> mapping = mapping(definition.fieldMapping());
        Map<String, Object> metadata = definition.metadata() == null ? Map.of() : definition.metadata();
        LoadedApp source = endpoints.source(tenant, sourceAppKey, collection);
        String targetCollection = endpoints.targetCollection(tenant, targetAppKey, definition.targetCollection());
        requireSynced(tenant, source, collection, sourceId);
        SyncListItems.NewItem item = new SyncListItems.NewItem(ownership.owner(), sourceAppKey, collection, sourceId,
                targetAppKey, targetCollection, mode, definition.active() == null || definition.active(),
                Boolean.TRUE.equals(definition.pushOnChange()), mapping, metadata);
        // One insert decides, so of two requests listing one record for one target the second is told it is listed.
        SyncListItems.Insertion insertion = scope.writeJdbc(tenant, ownership, c -> items.insert(c, tenant.value(),
                item));
        if (insertion instanceof SyncListItems.Insertion.Added added) {
            return added.item();
        }
        throw new SyncListException.AlreadyListed(sourceAppKey, collection, sourceId, targetAppKey, targetCollection);
    }

    /**
     * Adds every current non-archived match of the caller's saved filter, to the filter's target, owned by
     * {@code ownership}'s owner; matches already listed for that target are left as they are.
     */
    public SyncListItems.FilterAddition addFromFilter(TenantId tenant, Ownership ownership, SavedFilterItems request) {
        if (request.savedFilterId() == null) {
            throw new Refusal.InvalidField("saved_filter_id", "is required");
        }
        RunMode mode = mode(request.syncMode());
        Map<String, Object> mapping = mapping(request.fieldMapping());
        SavedFilter filter;
        try {
            filter = filters.get(tenant, ownership, request.savedFilterId());
        } catch (SavedFilterException.NotFound e) {
            throw new SyncListException.NotFound("No saved filter " + request.savedFilterId() + " (saved_filter_id)");
        }
        // The apps may have changed since the filter was saved: its ends are checked as an item's are.
        endpoints.source(tenant, filter.sourceAppKey(), filter.collectionKey());
        endpoints.targetCollection(tenant, filter.targetAppKey(), filter.targetCollection());
        return scope.writeJdbc(tenant, ownership, c -> items.insertFromFilter(c, tenant.value(), ownership.owner(),
                filter, mode, Boolean.TRUE.equals(request.pushOnChange()), mapping));
    }

    public Listing list(TenantId tenant, Ownership ownership, SyncListItems.Filter filter, int limit, long offset) {
        return scope.readJdbc(tenant, ownership, c -> new Listing(items.list(c, tenant.value(), filter, limit, offset),
                items.count(c, tenant.value(), filter)));
    }

    public SyncListItem get(TenantId tenant, Ownership ownership, UUID id) {
        return scope.readJdbc(tenant, ownership, c -> items.find(c, tenant.value(), id))
                .orElseThrow(() -> notFound(id));
    }

    /** Applies {@code change}, checked as an addition is; concurrent changes apply one after the other. */
    public SyncListItem update(TenantId tenant, Ownership ownership, UUID id, SyncListItemChange change) {
        SyncListItems.Patch patch = new SyncListItems.Patch(change.syncMode() == null ? null : mode(change.syncMode()),
                change.active(), change.pushOnChange(), mapping(change.fieldMapping()), change.metadata());
        return scope.writeJdbc(tenant, ownership, c -> items.patch(c, tenant.value(), id, patch))
                .orElseThrow(() -> notFound(id));
    }

    public void delete(TenantId tenant, Ownership ownership, UUID id) {
        if (!scope.writeJdbc(tenant, ownership, c -> items.delete(c, tenant.value(), id))) {
            throw notFound(id);
        }
    }

    /**
     * Queues a delta push (trigger manual) of the caller's active items that the arguments select — a null one
     * does not narrow — for {@code owner}: items named in {@code ids} must all be in the caller's scope, inactive
     * ones are left out; {@code collection} is the items' source collection; the selection must go to one target
     * app, or {@code targetAppKey} must say which.
     *
     * @param idempotencyKey kept with the run (the caller has claimed it), or null
     */
    public SyncRun deltaSync(TenantId tenant, Ownership ownership, String owner, @Nullable List<UUID> ids,
                             @Nullable String collection, @Nullable String targetAppKey,
                             @Nullable String idempotencyKey) {
        List<UUID> named = ids == null ? null : named(ids);
        if (collection != null) {
            PushEndpoints.key("collection", collection);
        }
        if (targetAppKey != null) {
            PushEndpoints.key("target_app_key", targetAppKey);
        }
        // Chosen and queued in one transaction, so the run's items are the ones the caller saw.
        return scope.writeJdbc(tenant, ownership, c -> {
            if (named != null) {
                Set<UUID> missing = new LinkedHashSet<>(named);
                items.all(c, tenant.value(), new SyncListItems.Filter(named, null, null, null, null, null, null))
                        .forEach(item -> missing.remove(item.id()));
                if (!missing.isEmpty()) {
                    throw new SyncListException.NotFound("No sync list items " + joined(new ArrayList<>(missing))
                            + " (sync_list_ids)");
                }
            }
            List<SyncListItem> selected = items.all(c, tenant.value(), new SyncListItems.Filter(named, null,
                    collection, null, true, targetAppKey, null));
            if (selected.isEmpty()) {
                throw new SyncListException.NothingActive();
            }
            List<String> targets = selected.stream().map(SyncListItem::targetAppKey).distinct().sorted().toList();
            if (targets.size() > 1) {
                throw new Refusal.InvalidField("target_app_key", "is required: the selected items go to"
                        + " several apps (" + String.join(", ", targets) + "); a push writes to one");
            }
            return pushes.queue(tenant, owner, targets.get(0), selected.stream().map(SyncListItem::id).toList(),
                    RunMode.DELTA, RunTrigger.MANUAL, idempotencyKey);
        });
    }

    /** The source record is synced and not archived, else NotFound naming {@code source_id}. */
    private void requireSynced(TenantId tenant, LoadedApp source, String collection, String sourceId) {
        String appKey = source.context().appKey();
        boolean synced = !scope.readJdbc(tenant, c -> entities.page(c, tenant.value(), appKey, collection,
                source.context().syncFrom(), new EntityReader.Selection(null, null, false, List.of(sourceId)), 1))
                .entities().isEmpty();
        if (!synced) {
            throw new SyncListException.NotFound("App " + appKey + " holds no synced, non-archived record "
                    + sourceId + " in " + collection + " (source_id)");
        }
    }

    private static List<UUID> named(List<UUID> ids) {
        if (ids.isEmpty()) {
            throw new Refusal.InvalidField("sync_list_ids", "must name at least one item (leave it out for all"
                    + " active items)");
        }
        if (ids.size() > MOST_IDS) {
            throw new Refusal.InvalidField("sync_list_ids", "at most " + MOST_IDS + " ids per push");
        }
        return List.copyOf(new LinkedHashSet<>(ids));
    }

    private static String sourceId(String value) {
        if (value == null) {
            throw new Refusal.InvalidField("source_id", "is required");
        }
        if (value.isBlank() || value.length() > LONGEST_SOURCE_ID) {
            throw new Refusal.InvalidField("source_id", "must be a non-blank string of at most "
                    + LONGEST_SOURCE_ID + " characters");
        }
        return value;
    }

    /** A push's mode: delta (the default) or full. */
    private static RunMode mode(String value) {
        if (value == null) {
            return RunMode.DELTA;
        }
        return RunMode.push(value).orElseThrow(() -> new Refusal.InvalidField("sync_mode",
                "must be delta or full"));
    }

    /** The mapping in its stored form, read as the push engine reads it; null stays null. */
    private static Map<String, Object> mapping(Map<String, Object> value) {
        if (value == null) {
            return null;
        }
        try {
            return FieldMapping.parse(value, "field_mapping").asMap();
        } catch (ConnectorException.ConfigInvalid e) {
            throw new Refusal.InvalidField(e.field(), e.getMessage());
        }
    }

    private static SyncListException.NotFound notFound(UUID id) {
        return new SyncListException.NotFound("No sync list item " + id);
    }

    private static String joined(List<UUID> ids) {
        return String.join(", ", ids.stream().map(UUID::toString).toList());
    }
}
