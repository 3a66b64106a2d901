import { and, eq } from "drizzle-orm";
import { mcpServers, mcpToolGrants } from "@/db/schema";
import { parseWith } from "@/lib/api/input";
import { requireScope } from "@/lib/api-keys/key-context";
import { AppError, isUniqueViolation } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { nameTaken } from "./create-mcp-server";
import { mergeHeaders, readHeaders, sealHeaders } from "./headers";
import { type McpServerSummary, type UpdateMcpServerInput, updateMcpServerInput } from "./schemas";
import { grantsOf, loadServer, toMcpServerSummary } from "./summary";
import { assertMcpUrl } from "./url";

export const ADDRESS_CHANGED = "Re-enter the value: the server's address changed.";

/**
 * Changes a server's name, URL, headers or enabled flag. A header row left blank keeps its stored
 * value (values are never shown, so an admin cannot re-type them); a new URL passes the guard again.
 *
 * Moving the server to another origin (scheme, host or port) keeps no stored secret: every header
 * must be given again (a blank row, or headers left out while some are stored, is refused), so
 * whoever changes the address cannot send another admin's token to a host of their choosing. The
 * tools' grants are cleared too (another server's tools are not the ones the agents were granted);
 * the audit entry says how many.
 */
export async function updateMcpServer(ctx: OrgContext, raw: UpdateMcpServerInput): Promise<McpServerSummary> {
  requireScope(ctx, "integrations.manage");
  const input = parseWith(updateMcpServerInput, raw);
  const url = input.url === undefined ? undefined : await assertMcpUrl(input.url);
  try {
    return await ctx.tx(async (tx) => {
      const current = await loadServer(tx, ctx, input.id, true);
      const moved = url !== undefined && new URL(url).origin !== new URL(current.url).origin;
      const stored = readHeaders(current.headersEncrypted);
      if (moved) {
        const blank = input.headers
          ? input.headers.filter((h) => !h.value.length).map((h) => h.name)
          : Object.keys(stored);
        if (blank.length) {
          throw new AppError("validation", "Some fields are invalid.", {
            fieldErrors: { headers: [`${ADDRESS_CHANGED} (${blank.join(", ")})`] },
          });
        }
      }
      let headers: { encrypted: string | null; names: string[] } | undefined;
      if (input.headers) {
        const merged = mergeHeaders(moved ? {} : stored, input.headers);
        if (merged.missing.length) {
          throw new AppError("validation", "Some fields are invalid.", {
            fieldErrors: {
              headers: [`Give a value for ${merged.missing.join(", ")}: nothing is stored yet.`],
            },
          });
        }
        headers = sealHeaders(merged.headers);
      }
      const changes = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(url !== undefined ? { url } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(headers ? { headersEncrypted: headers.encrypted, headerNames: headers.names } : {}),
      };
      const [row] = await tx
        .update(mcpServers)
        .set({ ...changes, updatedAt: new Date() })
        .where(and(eq(mcpServers.orgId, ctx.org.id), eq(mcpServers.id, input.id)))
        .returning();
      if (!row) throw new Error("mcp server update returned nothing");
      const clearedGrants = moved
        ? (
            await tx
              .delete(mcpToolGrants)
              .where(and(eq(mcpToolGrants.orgId, ctx.org.id), eq(mcpToolGrants.serverId, row.id)))
              .returning({ id: mcpToolGrants.id })
          ).length
        : 0;
      await ctx.audit(tx, {
        action: "mcp_server.update",
        target: { type: "mcp_server", id: row.id },
        metadata: {
          name: row.name,
          changed: Object.keys(changes).filter((k) => k !== "headersEncrypted"),
          // The origin only: a URL may carry a token in its query.
          ...(url !== undefined ? { origin: new URL(url).origin } : {}),
          ...(moved ? { originChanged: true, clearedGrants } : {}),
          ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
          ...(headers ? { headerNames: headers.names } : {}),
        },
      });
      return toMcpServerSummary(row, await grantsOf(tx, ctx, row.id));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}
