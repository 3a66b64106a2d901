import { orgRoute } from "@/lib/api/route";
import { auditCsvStream } from "@/lib/audit/csv";
import { listAuditEntries } from "@/lib/audit/list-entries";
import { auditQuerySchema } from "@/lib/audit/schemas";

/**
 * `?action=&actor=&from=YYYY-MM-DD&to=YYYY-MM-DD&cursor=` → `{entries, nextCursor}` (50 a page);
 * with `format=csv`, every entry matching the filters as a CSV download.
 */
export const GET = orgRoute({ permission: "audit.read", query: auditQuerySchema }, async ({ ctx, query }) => {
  const { cursor, format, ...filters } = query;
  if (format === "json") return listAuditEntries(ctx, filters, cursor);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(auditCsvStream(ctx, filters), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${ctx.org.slug}-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
});
