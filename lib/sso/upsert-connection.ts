import { and, eq, inArray, ne, notInArray } from "drizzle-orm";
import { getDb } from "@/db";
import { ssoConnections, ssoDomains } from "@/db/schema";
import { canGrant, ROLE_LABELS } from "@/lib/auth/permissions";
import { encryptSecret } from "@/lib/crypto";
import { AppError, isUniqueViolation } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { VERIFIED_ELSEWHERE } from "./check-domain";
import { verifyIssuer } from "./discovery";
import { newDomainToken } from "./domain-record";
import { getSsoConnection, type SsoConnectionView } from "./get-connection";
import type { SsoConnectionInput } from "./schemas";

function domainConflict(domains: string[]): AppError {
  return new AppError("conflict", "Another organization has verified one of these domains.", {
    fieldErrors: { domains: domains.map((d) => `${d}: ${VERIFIED_ELSEWHERE}`) },
  });
}

/**
 * Creates or replaces the organization's one SSO connection and the email domains it claims.
 * A new claim starts unverified with its own TXT token; it routes, enforces and admits no one
 * until verified (lib/sso/check-domain.ts). The client secret is stored encrypted and a blank one
 * keeps the stored secret.
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

  // A domain another organization verified cannot be claimed; pending claims elsewhere do not
  // block this one (first to verify wins). RLS hides other organizations: a system read.
  const db = await getDb();
  const taken = await db
    .select({ domain: ssoDomains.domain })
    .from(ssoDomains)
    .where(
      and(
        inArray(ssoDomains.domain, input.domains),
        eq(ssoDomains.status, "verified"),
        ne(ssoDomains.orgId, ctx.org.id),
      ),
    );
  if (taken.length > 0) throw domainConflict(taken.map((t) => t.domain));

  const existing = await ctx.tx(async (tx) => {
    const [r] = await tx
      .select({ id: ssoConnections.id })
      .from(ssoConnections)
      .where(eq(ssoConnections.orgId, ctx.org.id))
      .limit(1);
    return r;
  });
  if (input.enforced) {
    const verified = await ctx.tx((tx) =>
      tx
        .select({ domain: ssoDomains.domain })
        .from(ssoDomains)
        .where(
          and(
            eq(ssoDomains.orgId, ctx.org.id),
            eq(ssoDomains.status, "verified"),
            inArray(ssoDomains.domain, input.domains),
          ),
        ),
    );
    if (verified.length === 0) {
      throw new AppError("validation", "Some fields are invalid.", {
        fieldErrors: {
          enforced: ["Verify a domain first: until then SSO cannot be required for anyone."],
        },
      });
    }
  }
  if (!existing && !input.clientSecret) {
    throw new AppError("validation", "Some fields are invalid.", {
      fieldErrors: { clientSecret: ["Enter the client secret from your identity provider."] },
    });
  }

  // Network call outside the transaction: a slow IdP must not hold database locks.
  const issuer = await verifyIssuer(input.issuer);

  try {
    await ctx.tx(async (tx) => {
      const values = {
        issuer,
        clientId: input.clientId,
        domains: input.domains,
        enforced: input.enforced,
        enabled: input.enabled,
        defaultRole: input.defaultRole,
        jitEnabled: input.jitEnabled,
        jitReadmitRemoved: input.jitReadmitRemoved,
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
        await tx.insert(ssoDomains).values(
          added.map((domain) => ({
            domain,
            orgId: ctx.org.id,
            connectionId: row.id,
            token: newDomainToken(),
          })),
        );
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
          jitEnabled: input.jitEnabled,
          jitReadmitRemoved: input.jitReadmitRemoved,
          secretChanged: Boolean(input.clientSecret),
        },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "The SSO settings changed while you saved; reload and try again.");
    }
    throw error;
  }
  const view = await getSsoConnection(ctx);
  if (!view) throw new Error("SSO connection was not saved");
  return view;
}
