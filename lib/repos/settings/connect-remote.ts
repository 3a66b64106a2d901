import "server-only";
import { and, eq } from "drizzle-orm";
import { projectRepositories } from "@/db/schema";
import { encryptSecret } from "@/lib/crypto";
import type { OrgContext } from "@/lib/orgs/context";
import { identifyRemote } from "../remote/provider";
import { lsRemote } from "../remote/remote-git";
import { vetRemoteUrl } from "../remote/vet-remote-url";
import { loadRepository, toSettings } from "./load-repository";
import type { ConnectRemoteInput } from "./schemas";
import type { RepositorySettings } from "./types";

/**
 * Connects the project to a remote (where run branches are pushed and pull requests opened).
 * The URL is vetted and the connection tried (ls-remote with the token) before anything is
 * saved, so a typo or a wrong token is a field message, not a failed push later. The token is
 * stored encrypted and replaces any earlier one; none given means none stored.
 */
export async function connectRemote(
  ctx: OrgContext,
  slug: string,
  input: ConnectRemoteInput,
): Promise<RepositorySettings> {
  // Outside the transaction: vetting and ls-remote wait on the network.
  await ctx.tx((tx) => loadRepository(tx, ctx.org.id, slug, { writable: true }));
  const remote = await vetRemoteUrl(input.url, { field: "url" });
  const identity = identifyRemote(remote, input.provider);
  await lsRemote(remote, input.token, { field: "url" });
  return ctx.tx(async (tx) => {
    const loaded = await loadRepository(tx, ctx.org.id, slug, { forUpdate: true, writable: true });
    const [updated] = await tx
      .update(projectRepositories)
      .set({
        remoteUrl: remote.url,
        remoteProvider: identity.provider,
        remoteRepo: identity.repo,
        remoteTokenEncrypted: input.token ? encryptSecret(input.token) : null,
        updatedAt: new Date(),
      })
      .where(and(eq(projectRepositories.orgId, ctx.org.id), eq(projectRepositories.id, loaded.repo.id)))
      .returning();
    if (!updated) throw new Error("repository update returned no row");
    await ctx.audit(tx, {
      action: "repository.remote_connect",
      target: { type: "project", id: loaded.project.id },
      metadata: {
        url: remote.url,
        provider: identity.provider,
        repo: identity.repo,
        hasToken: Boolean(input.token),
        previousUrl: loaded.repo.remoteUrl,
      },
    });
    return toSettings({ ...loaded, repo: updated });
  });
}
