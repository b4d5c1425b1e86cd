package dev.tributary.scheduler.push;

import dev.tributary.connector.WebhookRequest;
import dev.tributary.connector.testkit.FakeIntercom;
import dev.tributary.connector.testkit.FakeStripe;
import dev.tributary.connector.testkit.RecordedWrite;
import dev.tributary.db.TestDatabase;
import dev.tributary.db.TestPostgres;
import dev.tributary.db.run.ItemError;
import dev.tributary.db.run.RunKind;
import dev.tributary.db.run.RunMode;
import dev.tributary.db.run.RunStatus;
import dev.tributary.db.run.RunTrigger;
import dev.tributary.db.run.SyncRun;
import dev.tributary.db.synclist.ItemStatus;
import dev.tributary.db.synclist.SyncListItem;
import dev.tributary.db.synclist.SyncListItems;
import dev.tributary.scheduler.NodeSettings;
import dev.tributary.scheduler.alert.AlertTarget;
import dev.tributary.scheduler.app.AppDefinition;
import dev.tributary.scheduler.app.Apps;
import dev.tributary.scheduler.engine.SyncRequest;
import dev.tributary.scheduler.run.SyncQueue;
import dev.tributary.scheduler.run.SyncRuns;
import dev.tributary.scheduler.webhook.WebhookIngest;
import dev.tributary.tenancy.Ownership;
import dev.tributary.tenancy.TenantId;
import dev.tributary.tenancy.TenantScope;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Push runs on a worker node: Stripe customers (the fake, synced into entities) kept in step with Intercom
 * contacts (the fake, as destination) through sync list items — create, skip or push again by mode, update,
 * re-create what the target lost, per-item failures retried alone, a run failing on revoked credentials,
 * rate limits waited out, cancels between items, and pushes at once on a webhook.
 */
class PushRunTest {

    private static final String STRIPE_KEY = "sk_test_push";
    private static final String WEBHOOK_SECRET = "whsec_push";
    private static final String INTERCOM_TOKEN = "intercom-push-token";
    private static final String ALICE = "key:alice";

    private final FakeStripe stripe = FakeStripe.start(STRIPE_KEY);
    private final FakeIntercom intercom = FakeIntercom.start(INTERCOM_TOKEN);
    private final TestDatabase database = TestPostgres.freshDatabase();
    private final TenantId acme = new TenantId("acme");
    private ApplicationContext worker;
    private Pushes pushes;
    private SyncListItems items;
    private SyncRuns runs;
    private TenantScope scope;

    @BeforeEach
    void start() throws Exception {
        Map<String, Object> properties = NodeSettings.on(database);
        properties.put("tributary.scheduler.worker", "true");
        properties.put("tributary.scheduler.threads", "2");
        properties.put("tributary.connectors.stripe.api-base", stripe.baseUri().toString());
        properties.put("tributary.connectors.stripe.max-network-retries", "0");
        properties.put("tributary.connectors.intercom.api-base", intercom.baseUri().toString());
        worker = ApplicationContext.run(properties);
        pushes = worker.getBean(Pushes.class);
        items = worker.getBean(SyncListItems.class);
        runs = worker.getBean(SyncRuns.class);
        scope = worker.getBean(TenantScope.class);
        database.execute("INSERT INTO tributary.tenants (id, name) VALUES ('acme', 'Acme')");
        Apps apps = worker.getBean(Apps.class);
        apps.create(acme, new AppDefinition("billing", "stripe", "Billing",
                Map.of("collections", List.of("stripe_customer")),
                Map.of("api_key", STRIPE_KEY, "webhook_secret", WEBHOOK_SECRET), null,
                new AppDefinition.Schedule(null, null, "incremental", false), 1, AlertTarget.NONE));
        apps.create(acme, new AppDefinition("support", "intercom", "Support", Map.of("field_mappings",
                Map.of("intercom_contact", Map.of("email", "/email", "name", "/name", "role", Map.of("const", "user")))),
                Map.of("access_token", INTERCOM_TOKEN), null,
                new AppDefinition.Schedule(null, null, "incremental", false), 1, AlertTarget.NONE));
    }

    @AfterEach
    void stop() {
        worker.close();
        stripe.close();
        intercom.close();
    }

    private String customer(String name, String email) {
        return stripe.create("customers", Map.of("name", name, "email", email));
    }

    /** A full pull of the Stripe customers into entities. */
    private void pullCustomers() {
        SyncRun pull = worker.getBean(SyncQueue.class).enqueue(new SyncRequest(acme, "billing", "stripe_customer",
                RunMode.FULL, false, false), RunTrigger.MANUAL, 1, null);
        assertEquals(RunStatus.COMPLETED, ended(pull).status(), () -> String.valueOf(ended(pull).errorMessage()));
    }

    private SyncListItem listed(String owner, String sourceId, boolean pushOnChange) {
        var added = scope.writeJdbc(acme, Ownership.only(owner), c -> items.insert(c, acme.value(),
                new SyncListItems.NewItem(owner, "billing", "stripe_customer", sourceId, "support", "intercom_contact",
                        RunMode.DELTA, true, pushOnChange, null, Map.of())));
        return ((SyncListItems.Insertion.Added) added).item();
    }

    private SyncListItem item(SyncListItem item) {
        return scope.readJdbc(acme, c -> items.find(c, acme.value(), item.id())).orElseThrow();
    }

    private SyncRun push(RunMode mode, SyncListItem... pushed) {
        return ended(pushes.queue(acme, ALICE, "support", java.util.Arrays.stream(pushed).map(SyncListItem::id)
                .toList(), mode, RunTrigger.MANUAL, null));
    }

    private SyncRun ended(SyncRun run) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            RunStatus status = runs.find(acme, run.id()).orElseThrow().status();
            return !status.waiting() && status != RunStatus.RUNNING;
        });
        return runs.find(acme, run.id()).orElseThrow();
    }

    private List<RecordedWrite> writesOf(String targetId) {
        return intercom.writes().stream().filter(write -> targetId.equals(write.id())).toList();
    }

    @Test
    void aDeltaPushCreatesTheContactThenSkipsItUnchangedAndAFullPushSendsItAgain() {
        String ann = customer("Ann", "ann@example.com");
        pullCustomers();
        SyncListItem item = listed(ALICE, ann, false);

        SyncRun first = push(RunMode.DELTA, item);
        assertEquals(RunStatus.COMPLETED, first.status(), first.errorMessage());
        assertEquals(RunKind.PUSH, first.kind());
        assertEquals(ALICE, first.owner());
        assertEquals("support", first.appKey());
        assertEquals("intercom_contact", first.collectionKey());
        assertEquals(List.of(1L, 1L, 0L, 0L, 0L), List.of(first.recordsTotal(), first.recordsNew(),
                first.recordsUpdated(), first.recordsUnchanged(), first.recordsErrors()));
        SyncListItem pushed = item(item);
        assertEquals(ItemStatus.SUCCESS, pushed.lastSyncStatus());
        assertEquals(first.id(), pushed.lastSyncId());
        assertNotNull(pushed.lastSyncedAt());
        Map<String, Object> contact = intercom.object("contact", pushed.targetId());
        assertEquals("ann@example.com", contact.get("email"));
        assertEquals("Ann", contact.get("name"));
        assertEquals("user", contact.get("role"), "the target app's field mapping shaped the body");

        SyncRun unchanged = push(RunMode.DELTA, item);
        assertEquals(List.of(1L, 0L, 0L, 1L), List.of(unchanged.recordsTotal(), unchanged.recordsNew(),
                unchanged.recordsUpdated(), unchanged.recordsUnchanged()));
        assertEquals(1, writesOf(pushed.targetId()).size(), "nothing sent for an unchanged record");

        SyncRun full = push(RunMode.FULL, item);
        assertEquals(List.of(1L, 0L, 1L, 0L), List.of(full.recordsTotal(), full.recordsNew(), full.recordsUpdated(),
                full.recordsUnchanged()));
        assertEquals(List.of("POST", "PUT"), writesOf(pushed.targetId()).stream().map(RecordedWrite::method).toList());
        assertEquals(pushed.targetId(), item(item).targetId());
    }

    @Test
    void aChangeAtTheSourceIsPushedAsAnUpdateAndATargetThatLostTheRecordGetsItCreatedAgain() {
        String bob = customer("Bob", "bob@example.com");
        pullCustomers();
        SyncListItem item = listed(ALICE, bob, false);
        push(RunMode.DELTA, item);
        String contact = item(item).targetId();

        stripe.update("customers", bob, Map.of("email", "robert@example.com"));
        pullCustomers();
        SyncRun update = push(RunMode.DELTA, item);
        assertEquals(List.of(1L, 0L, 1L), List.of(update.recordsTotal(), update.recordsNew(), update.recordsUpdated()));
        assertEquals("robert@example.com", intercom.object("contact", contact).get("email"));

        intercom.delete("contact", contact);
        SyncRun again = push(RunMode.FULL, item);
        assertEquals(RunStatus.COMPLETED, again.status(), again.errorMessage());
        assertEquals(List.of(1L, 1L, 0L), List.of(again.recordsTotal(), again.recordsNew(), again.recordsUpdated()));
        String recreated = item(item).targetId();
        assertNotEquals(contact, recreated);
        assertEquals("robert@example.com", intercom.object("contact", recreated).get("email"));
        assertTrue(again.notes().stream().anyMatch(note -> note.contains(contact) && note.contains(recreated)
                && note.contains("created again")), again.notes().toString());
    }

    @Test
    void aFailingItemIsRecordedWithItsErrorTheOthersArePushedAndItIsRetriedAlone() {
        String carol = customer("Carol", "carol@example.com");
        String dave = customer("Dave", "dave@example.com");
        pullCustomers();
        String squatter = intercom.create("contact", Map.of("role", "user", "email", "carol@example.com"));
        SyncListItem failing = listed(ALICE, carol, false);
        SyncListItem fine = listed(ALICE, dave, false);

        SyncRun run = push(RunMode.DELTA, failing, fine);
        assertEquals(RunStatus.COMPLETED_WITH_ERRORS, run.status());
        assertEquals(List.of(2L, 1L, 1L), List.of(run.recordsTotal(), run.recordsNew(), run.recordsErrors()));
        assertEquals(1, run.itemErrors().size());
        ItemError error = run.itemErrors().get(0);
        assertEquals(failing.id(), error.itemId());
        assertTrue(error.error().contains("409"), error.error());
        SyncListItem failed = item(failing);
        assertEquals(ItemStatus.FAILED, failed.lastSyncStatus());
        assertEquals(error.error(), failed.errorMessage());
        assertNull(failed.targetId());
        assertEquals(ItemStatus.SUCCESS, item(fine).lastSyncStatus());

        intercom.delete("contact", squatter);
        int writes = intercom.writes().size();
        SyncRun retry = push(RunMode.DELTA, failing);
        assertEquals(RunStatus.COMPLETED, retry.status(), retry.errorMessage());
        assertEquals(List.of(1L, 1L), List.of(retry.recordsTotal(), retry.recordsNew()));
        assertEquals(writes + 1, intercom.writes().size(), "only the failed item was pushed");
        SyncListItem retried = item(failing);
        assertEquals(ItemStatus.SUCCESS, retried.lastSyncStatus());
        assertNull(retried.errorMessage());
        assertEquals("carol@example.com", intercom.object("contact", retried.targetId()).get("email"));
    }

    @Test
    void revokedCredentialsFailTheRunLeavingItsItemsUntouchedAndARerunPushesThem() {
        String erin = customer("Erin", "erin@example.com");
        String fred = customer("Fred", "fred@example.com");
        pullCustomers();
        SyncListItem first = listed(ALICE, erin, false);
        SyncListItem second = listed(ALICE, fred, false);
        intercom.failNext(1, 401);

        SyncRun run = push(RunMode.DELTA, first, second);
        assertEquals(RunStatus.FAILED, run.status());
        assertTrue(run.errorMessage().contains("401"), run.errorMessage());
        assertEquals(0, run.recordsTotal());
        assertEquals(ItemStatus.PENDING, item(first).lastSyncStatus());
        assertEquals(ItemStatus.PENDING, item(second).lastSyncStatus());

        SyncRun rerun = ended(worker.getBean(SyncQueue.class).rerun(run, 1));
        assertEquals(RunKind.PUSH, rerun.kind());
        assertEquals(ALICE, rerun.owner());
        assertEquals(RunStatus.COMPLETED, rerun.status(), rerun.errorMessage());
        assertEquals(2, rerun.recordsNew());
    }

    @Test
    void aRateLimitIsWaitedOutAndTheItemPushed() {
        String gina = customer("Gina", "gina@example.com");
        pullCustomers();
        SyncListItem item = listed(ALICE, gina, false);
        intercom.rateLimitNext(1, 1);
        SyncRun run = push(RunMode.DELTA, item);
        assertEquals(RunStatus.COMPLETED, run.status(), run.errorMessage());
        assertEquals(1, run.recordsNew());
    }

    @Test
    void aCancelledPushStopsBetweenItems() {
        String hal = customer("Hal", "hal@example.com");
        String ida = customer("Ida", "ida@example.com");
        pullCustomers();
        SyncListItem first = listed(ALICE, hal, false);
        SyncListItem second = listed(ALICE, ida, false);
        intercom.rateLimitNext(1, 3); // holds the first item long enough to cancel the running push
        SyncRun queued = pushes.queue(acme, ALICE, "support", List.of(first.id(), second.id()), RunMode.DELTA,
                RunTrigger.MANUAL, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.find(acme, queued.id()).orElseThrow().status()
                == RunStatus.RUNNING);
        assertEquals(SyncQueue.Cancellation.STOPPING, worker.getBean(SyncQueue.class)
                .cancel(runs.find(acme, queued.id()).orElseThrow()));
        SyncRun run = ended(queued);
        assertEquals(RunStatus.CANCELLED, run.status());
        assertEquals(1, run.recordsTotal(), "the item under way was finished, the next one not begun");
        assertEquals(ItemStatus.SUCCESS, item(first).lastSyncStatus());
        assertEquals(ItemStatus.PENDING, item(second).lastSyncStatus());
    }

    @Test
    void aWebhookChangePushesThePushOnChangeItemAtOnceAndTheNextDeltaRunTheOthers() throws Exception {
        String jan = customer("Jan", "jan@example.com");
        String kim = customer("Kim", "kim@example.com");
        pullCustomers();
        SyncListItem eager = listed(ALICE, jan, true);
        SyncListItem patient = listed("key:bob", kim, false);
        push(RunMode.DELTA, eager);
        ended(pushes.queue(acme, "key:bob", "support", List.of(patient.id()), RunMode.DELTA, RunTrigger.MANUAL, null));
        String eagerContact = item(eager).targetId();
        String patientContact = item(patient).targetId();

        stripe.update("customers", jan, Map.of("email", "jan@new.example.com"));
        deliver(stripe.lastEventId());
        stripe.update("customers", kim, Map.of("email", "kim@new.example.com"));
        deliver(stripe.lastEventId());

        List<SyncRun> byWebhook = await().atMost(Duration.ofSeconds(60)).until(() -> webhookPushes(),
                found -> found.size() == 1 && !found.get(0).status().waiting()
                        && found.get(0).status() != RunStatus.RUNNING);
        SyncRun webhookRun = byWebhook.get(0);
        assertEquals(ALICE, webhookRun.owner(), "the item's owner's push");
        assertEquals(List.of(eager.id().toString()), webhookRun.request().ids(), "that item only");
        assertEquals(RunStatus.COMPLETED, webhookRun.status(), webhookRun.errorMessage());
        assertEquals("jan@new.example.com", intercom.object("contact", eagerContact).get("email"));
        assertEquals("kim@example.com", intercom.object("contact", patientContact).get("email"),
                "not pushed on its change");

        SyncRun delta = ended(pushes.queue(acme, "key:bob", "support", List.of(patient.id()), RunMode.DELTA,
                RunTrigger.MANUAL, null));
        assertEquals(1, delta.recordsUpdated(), "the next delta run sees the change by its hash");
        assertEquals("kim@new.example.com", intercom.object("contact", patientContact).get("email"));
    }

    private void deliver(String eventId) throws Exception {
        String body = stripe.eventJson(eventId);
        var request = new WebhookRequest(Map.of("stripe-signature", List.of(FakeStripe.signature(body,
                Instant.now().getEpochSecond(), WEBHOOK_SECRET))), body.getBytes(StandardCharsets.UTF_8));
        assertEquals(WebhookIngest.Outcome.PROCESSED, worker.getBean(WebhookIngest.class).ingest(acme, "billing",
                request).orElseThrow().outcome());
    }

    private List<SyncRun> webhookPushes() {
        return runs.list(acme, "support", null, null, 100, 0).stream()
                .filter(run -> run.trigger() == RunTrigger.WEBHOOK).toList();
    }

    @Test
    void pushesRefuseWhatIsNotAPushOfOneTargetsItems() {
        String lee = customer("Lee", "lee@example.com");
        pullCustomers();
        SyncListItem item = listed(ALICE, lee, false);
        assertThrows(IllegalArgumentException.class, () -> pushes.queue(acme, ALICE, "support", List.of(),
                RunMode.DELTA, RunTrigger.MANUAL, null));
        assertThrows(IllegalArgumentException.class, () -> pushes.queue(acme, ALICE, "support", List.of(item.id()),
                RunMode.INCREMENTAL, RunTrigger.MANUAL, null));
        assertThrows(IllegalArgumentException.class, () -> pushes.queue(acme, ALICE, "billing", List.of(item.id()),
                RunMode.DELTA, RunTrigger.MANUAL, null), "the item goes to support");
        assertThrows(IllegalArgumentException.class, () -> pushes.queue(acme, ALICE, "support",
                List.of(UUID.randomUUID()), RunMode.DELTA, RunTrigger.MANUAL, null));
    }
}
