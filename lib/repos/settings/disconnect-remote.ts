import "server-only";
import { and, eq } from "drizzle-orm";
import { projectRepositories } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import { loadRepository, toSettings } from "./load-repository";
import type { RepositorySettings } from "./types";

/** Forgets the project's remote and wipes its token. Disconnecting twice changes nothing the second time. */
export async function disconnectRemote(ctx: OrgContext, slug: string): Promise<RepositorySettings> {
  return ctx.tx(async (tx) => {
    const loaded = await loadRepository(tx, ctx.org.id, slug, { forUpdate: true, writable: true });
    if (!loaded.repo.remoteUrl && !loaded.repo.remoteTokenEncrypted) return toSettings(loaded);
    const [updated] = await tx
      .update(projectRepositories)
      .set({
        remoteUrl: null,
        remoteProvider: null,
        remoteRepo: null,
        remoteTokenEncrypted: null,
        updatedAt: new Date(),
      })
      .where(and(eq(projectRepositories.orgId, ctx.org.id), eq(projectRepositories.id, loaded.repo.id)))
      .returning();
    if (!updated) throw new Error("repository update returned no row");
    await ctx.audit(tx, {
      action: "repository.remote_disconnect",
      target: { type: "project", id: loaded.project.id },
      metadata: { url: loaded.repo.remoteUrl, provider: loaded.repo.remoteProvider },
    });
    return toSettings({ ...loaded, repo: updated });
  });
}
