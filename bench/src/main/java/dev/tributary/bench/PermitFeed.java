package dev.tributary.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A building-permit feed like a city's daily open-data export: ~930 bytes a record.
 * {@code revision} 0 is the first load; revision 1 changes 1%, adds 1% and drops 1%.
 */
final class PermitFeed {

    private static final String DESCRIPTION = ("Interior alteration of an existing commercial unit, including new"
            + " partitions, lighting, plumbing fixtures and mechanical ventilation; no change of use or occupancy. ")
            .repeat(4);

    private PermitFeed() {
    }

    static List<String> records(int count, int revision) {
        List<String> records = new ArrayList<>(count + count / 100);
        for (int i = 0; i < count; i++) {
            boolean dropped = revision > 0 && i % 100 == 1;
            if (dropped) {
                continue;
            }
            boolean changed = revision > 0 && i % 100 == 0;
            records.add(record(i, changed ? "Amended" : (i % 17 == 0 ? "Cancelled" : "Issued")));
        }
        if (revision > 0) {
            for (int i = count; i < count + count / 100; i++) {
                records.add(record(i, "Issued"));
            }
        }
        return records;
    }

    static byte[] document(List<String> records) {
        return ("[" + String.join(",\n", records) + "]").getBytes(StandardCharsets.UTF_8);
    }

    static String id(int i) {
        return "BP-" + (1_000_000 + i);
    }

    private static String record(int i, String status) {
        return "{\"permit_number\":\"" + id(i) + "\",\"permit_type\":\"Alteration\",\"status\":\"" + status
                + "\",\"issued_date\":\"2026-" + String.format("%02d-%02dT10:00:00Z", 1 + i % 12, 1 + i % 28)
                + "\",\"address\":\"" + (i % 9000) + " Main Street\",\"ward\":" + (i % 25) + ",\"estimated_cost\":"
                + (i * 37 % 900000) + ",\"contractor\":\"Contractor " + (i % 500) + "\",\"description\":\""
                + DESCRIPTION + "\"}";
    }
}
