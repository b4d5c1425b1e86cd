package dev.tributary.connector.intercom;

import dev.tributary.connector.AppContext;
import dev.tributary.connector.ConnectorException;
import dev.tributary.connector.ConnectorException.ConfigInvalid;
import dev.tributary.connector.Destination;
import dev.tributary.connector.json.CanonicalJson;

import java.util.List;
import java.util.Map;

/**
 * Intercom's write side: contacts, created with {@code POST /contacts} (the contact Intercom answers with
 * carries the target id) and updated with {@code PUT /contacts/<id>}, through the same API, token and
 * {@code Intercom-Version} as the reads. Intercom refuses a second contact with the same email or
 * external_id with a 409, which is {@link ConnectorException.Rejected} quoting Intercom's message.
 */
final class IntercomDestination implements Destination {

    private static final String CONTACTS = IntercomCollection.CONTACT.key;

    private final IntercomConnector connector;

    IntercomDestination(IntercomConnector connector) {
        this.connector = connector;
    }

    /** Contacts, whichever collections the app syncs: writing does not need reading. */
    @Override
    public List<String> writableCollections(AppContext app) throws ConfigInvalid {
        IntercomSettings.of(app);
        return List.of(CONTACTS);
    }

    @Override
    public String create(AppContext app, String collection, String body) throws ConnectorException {
        requireContacts(collection);
        CanonicalJson.Value contact = connector.api(app).send("POST", "/contacts", Map.of(), body);
        String id = CanonicalJson.stringAt(contact, "/id");
        if (id == null) {
            throw new ConnectorException.Rejected("Intercom answered POST /contacts with a contact without an id");
        }
        return id;
    }

    @Override
    public void update(AppContext app, String collection, String targetId, String body) throws ConnectorException {
        requireContacts(collection);
        connector.api(app).send("PUT", "/contacts/" + IntercomObjects.requireId(targetId), Map.of(), body);
    }

    private static void requireContacts(String collection) throws ConfigInvalid {
        if (!CONTACTS.equals(collection)) {
            throw new ConfigInvalid("collection", "intercom writes only " + CONTACTS + ", not " + collection);
        }
    }
}
