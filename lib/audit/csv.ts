import "server-only";
import { stringify } from "csv-stringify/sync";
import type { OrgContext } from "@/lib/orgs/context";
import { allAuditEntries } from "./list-entries";
import type { AuditFilters } from "./schemas";
import type { AuditLogEntry } from "./types";

const COLUMNS = [
  { key: "createdAt", header: "time" },
  { key: "actorEmail", header: "actor_email" },
  { key: "action", header: "action" },
  { key: "targetType", header: "target_type" },
  { key: "targetId", header: "target_id" },
  { key: "ip", header: "ip" },
  { key: "userAgent", header: "user_agent" },
  { key: "metadata", header: "metadata" },
];

/**
 * CSV rows for audit entries. Cells an attacker controls (user agent, names in metadata) could
 * start with `=`, `+`, `-` or `@` and run as a formula in a spreadsheet: `escape_formulas`
 * prefixes those with a quote.
 */
export function auditCsv(entries: AuditLogEntry[], opts: { header: boolean }): string {
  return stringify(
    entries.map((e) => ({ ...e, metadata: JSON.stringify(e.metadata) })),
    { header: opts.header, columns: COLUMNS, escape_formulas: true },
  );
}

/** The whole filtered log as a CSV stream, read batch by batch so a large log never sits in memory. */
export function auditCsvStream(ctx: OrgContext, filters: AuditFilters): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const batches = allAuditEntries(ctx, filters);
  let header = true;
  return new ReadableStream({
    async pull(controller) {
      const { value, done } = await batches.next();
      if (done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(auditCsv(value, { header })));
      header = false;
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}
