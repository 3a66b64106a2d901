import { and, eq, inArray, ne, notInArray } from "drizzle-orm";
import { getDb } from "@/db";
import { ssoConnections, ssoDomains } from "@/db/schema";
import { canGrant, ROLE_LABELS } from "@/lib/auth/permissions";
import { encryptSecret } from "@/lib/crypto";
import { AppError, isUniqueViolation } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { verifyIssuer } from "./discovery";
import { type SsoConnectionView, toSsoConnectionView } from "./get-connection";
import type { SsoConnectionInput } from "./schemas";

function domainConflict(domains: string[]): AppError {
  return new AppError("conflict", "Another organization already uses one of these domains.", {
    fieldErrors: {
      domains: domains.map((d) => `${d} is already connected to another organization's SSO.`),
    },
  });
}

/**
 * Creates or replaces the organization's one SSO connection and the email domains routed to it.
 * The client secret is stored encrypted and a blank one keeps the stored secret.
 */
export async function upsertSsoConnection(
  ctx: OrgContext,
  input: SsoConnectionInput,
): Promise<SsoConnectionView> {
  if (!canGrant(ctx.role, input.defaultRole)) {
    throw new AppError("forbidden", "You cannot give new members a role above your own.", {
      fieldErrors: {
        defaultRole: [
          `As ${ROLE_LABELS[ctx.role].toLowerCase()} you can choose up to ${ROLE_LABELS[ctx.role]}.`,
        ],
      },
    });
  }

  // Domains are unique across organizations, which RLS hides from this org: a system read names
  // the conflicting ones (the unique key still guards the race below).
  const db = await getDb();
  const taken = await db
    .select({ domain: ssoDomains.domain })
    .from(ssoDomains)
    .where(and(inArray(ssoDomains.domain, input.domains), ne(ssoDomains.orgId, ctx.org.id)));
  if (taken.length > 0) throw domainConflict(taken.map((t) => t.domain));

  const existing = await ctx.tx(async (tx) => {
    const [r] = await tx
      .select({ id: ssoConnections.id })
      .from(ssoConnections)
      .where(eq(ssoConnections.orgId, ctx.org.id))
      .limit(1);
    return r;
  });
  if (!existing && !input.clientSecret) {
    throw new AppError("validation", "Some fields are invalid.", {
      fieldErrors: { clientSecret: ["Enter the client secret from your identity provider."] },
    });
  }

  // Network call outside the transaction: a slow IdP must not hold database locks.
  const issuer = await verifyIssuer(input.issuer);

  try {
    return await ctx.tx(async (tx) => {
      const values = {
        issuer,
        clientId: input.clientId,
        domains: input.domains,
        enforced: input.enforced,
        enabled: input.enabled,
        defaultRole: input.defaultRole,
        updatedAt: new Date(),
        ...(input.clientSecret ? { clientSecretEncrypted: encryptSecret(input.clientSecret) } : {}),
      };
      const [current] = await tx
        .select({ id: ssoConnections.id })
        .from(ssoConnections)
        .where(eq(ssoConnections.orgId, ctx.org.id))
        .limit(1)
        .for("update");
      const [row] = current
        ? await tx
            .update(ssoConnections)
            .set(values)
            .where(and(eq(ssoConnections.id, current.id), eq(ssoConnections.orgId, ctx.org.id)))
            .returning()
        : await tx
            .insert(ssoConnections)
            .values({
              ...values,
              ...(input.id ? { id: input.id } : {}),
              orgId: ctx.org.id,
              clientSecretEncrypted: encryptSecret(input.clientSecret ?? ""),
            })
            .returning();
      if (!row) throw new Error("SSO connection was not saved");

      await tx
        .delete(ssoDomains)
        .where(and(eq(ssoDomains.orgId, ctx.org.id), notInArray(ssoDomains.domain, input.domains)));
      const kept = await tx
        .select({ domain: ssoDomains.domain })
        .from(ssoDomains)
        .where(eq(ssoDomains.orgId, ctx.org.id));
      const keptSet = new Set(kept.map((k) => k.domain));
      const added = input.domains.filter((d) => !keptSet.has(d));
      if (added.length > 0) {
        await tx
          .insert(ssoDomains)
          .values(added.map((domain) => ({ domain, orgId: ctx.org.id, connectionId: row.id })));
      }

      await ctx.audit(tx, {
        action: current ? "sso.update" : "sso.create",
        target: { type: "sso_connection", id: row.id },
        metadata: {
          issuer,
          clientId: input.clientId,
          domains: input.domains,
          enforced: input.enforced,
          enabled: input.enabled,
          defaultRole: input.defaultRole,
          secretChanged: Boolean(input.clientSecret),
        },
      });
      return toSsoConnectionView(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw domainConflict(input.domains);
    throw error;
  }
}
