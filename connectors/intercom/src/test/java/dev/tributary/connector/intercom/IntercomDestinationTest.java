package dev.tributary.connector.intercom;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.Destination;
import dev.tributary.connector.FetchRequest;
import dev.tributary.connector.FieldMapping;
import dev.tributary.connector.testkit.ConnectorContract;
import dev.tributary.connector.testkit.FakeIntercom;
import dev.tributary.connector.testkit.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntercomDestinationTest {

    private static final String TOKEN = "dG9rOmZha2U=";

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-20T12:00:00Z"));
    private final FakeIntercom intercom = (FakeIntercom) FakeIntercom.start(TOKEN).clock(clock);
    private final IntercomConnector connector = new IntercomConnector(
            new IntercomConfiguration(intercom.baseUri().toString(), null), clock);
    private final Destination destination = connector.destination().orElseThrow();
    private final AppContext app = new AppContext("acme", "support", Map.of(), Map.of("access_token", TOKEN), null);

    @AfterEach
    void stop() {
        intercom.close();
    }

    @Test
    void contactsAreCreatedThenUpdatedByTheIdIntercomGave() throws Exception {
        ConnectorContract.assertDestinationDeclared(connector);
        assertEquals(List.of("intercom_contact"), destination.writableCollections(app));
        String id = ConnectorContract.assertCreatesAndUpdates(destination, app, "intercom_contact",
                "{\"email\":\"ann@example.com\",\"external_id\":\"cus_1\",\"name\":\"Ann\"}",
                "{\"email\":\"ann@example.com\",\"external_id\":\"cus_1\",\"name\":\"Ann Smith\"}",
                "000000000000000000000999", contact -> intercom.object("contact", contact));
        assertEquals(List.of("POST /contacts", "PUT /contacts/" + id),
                intercom.writes().stream().map(w -> w.method() + " " + w.path()).toList());
        assertTrue(intercom.requests().contains("PUT /contacts/000000000000000000000999"));

        var read = ConnectorContract.fetchAll(connector, app, FetchRequest.full("intercom_contact"));
        assertEquals(List.of(id), read.ids(), "what was written reads back as a contact");
        assertTrue(read.entities().get(0).rawPayload().contains("\"name\":\"Ann Smith\""));
    }

    @Test
    void aSecondContactWithTheSameDetailsIsRejectedWithIntercomsMessage() throws Exception {
        String first = destination.create(app, "intercom_contact", "{\"email\":\"ann@example.com\"}");
        var conflict = assertThrows(ConnectorException.Rejected.class,
                () -> destination.create(app, "intercom_contact", "{\"email\":\"ann@example.com\",\"name\":\"Twin\"}"));
        assertTrue(conflict.getMessage().contains("409"), conflict.getMessage());
        assertTrue(conflict.getMessage().contains("A contact matching those details already exists with id=" + first),
                conflict.getMessage());
        assertEquals(1, intercom.writes().size());
    }

    @Test
    void writeErrorsAreTheReadsErrorFamilyAndUseTheConnectorsIntercomVersion() throws Exception {
        String id = intercom.create("contact", Map.of("email", "ann@example.com"));
        var revoked = new AppContext("acme", "support", Map.of(), Map.of("access_token", "other"), null);
        ConnectorContract.assertWriteErrors(destination, app, revoked, "intercom_contact", "{\"name\":\"Ann\"}", id,
                intercom, Duration.ofSeconds(7));
        assertEquals(List.of(), intercom.writes());
        assertThrows(ConnectorException.Rejected.class,
                () -> destination.update(app, "intercom_contact", "../admins", "{}"), "not an Intercom id");
        assertEquals("collection", assertThrows(ConnectorException.ConfigInvalid.class,
                () -> destination.create(app, "intercom_company", "{}")).field());
        assertEquals("credentials.access_token", assertThrows(ConnectorException.ConfigInvalid.class,
                () -> destination.create(new AppContext("acme", "support", Map.of(), Map.of(), null),
                        "intercom_contact", "{}")).field());
    }

    @Test
    void fieldMappingsAreASettingOfContactsOnly() throws Exception {
        var mapped = new AppContext("acme", "support", Map.of("field_mappings",
                Map.of("intercom_contact", Map.of("email", "/email", "role", Map.of("const", "user")))),
                Map.of("access_token", TOKEN), null);
        connector.validate(mapped);
        assertEquals(FieldMapping.parse(Map.of("email", "/email", "role", Map.of("const", "user")), "f"),
                destination.fieldMapping(mapped, "intercom_contact").orElseThrow());
        ConnectorContract.assertConfigErrorIsPermanent(connector, new AppContext("acme", "support",
                Map.of("field_mappings", Map.of("intercom_company", Map.of("name", "/name"))),
                Map.of("access_token", TOKEN), null), "field_mappings.intercom_company");
        ConnectorContract.assertConfigErrorIsPermanent(connector, new AppContext("acme", "support",
                Map.of("field_mappings", Map.of("intercom_contact", Map.of("email", 5))),
                Map.of("access_token", TOKEN), null), "field_mappings.intercom_contact.email");
    }
}
