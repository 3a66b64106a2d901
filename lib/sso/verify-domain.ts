import { and, eq } from "drizzle-orm";
import { ssoDomains } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { checkSsoDomain } from "./check-domain";
import { getSsoConnection, type SsoDomainView } from "./get-connection";
import type { VerifySsoDomainInput } from "./schemas";

/** "Verify now": checks the domain's TXT record at once and returns its updated status. */
export async function verifySsoDomain(ctx: OrgContext, input: VerifySsoDomainInput): Promise<SsoDomainView> {
  const row = await ctx.tx(async (tx) => {
    const [r] = await tx
      .select({ id: ssoDomains.id })
      .from(ssoDomains)
      .where(and(eq(ssoDomains.orgId, ctx.org.id), eq(ssoDomains.domain, input.domain)))
      .limit(1);
    return r;
  });
  if (!row) throw notFound("This domain is not claimed by your SSO connection.");
  await checkSsoDomain(
    { orgId: ctx.org.id, id: row.id },
    { actor: { id: ctx.user.id, email: ctx.user.email }, meta: ctx.meta },
  );
  const view = (await getSsoConnection(ctx))?.domainRecords.find((d) => d.domain === input.domain);
  if (!view) throw notFound("This domain is not claimed by your SSO connection.");
  return view;
}
