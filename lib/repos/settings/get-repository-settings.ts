import "server-only";
import type { OrgContext } from "@/lib/orgs/context";
import { loadRepository, toSettings } from "./load-repository";
import type { RepositorySettings } from "./types";

/** The repository settings of the project `slug` (projects.read). */
export async function getRepositorySettings(ctx: OrgContext, slug: string): Promise<RepositorySettings> {
  return ctx.tx(async (tx) => toSettings(await loadRepository(tx, ctx.org.id, slug)));
}
