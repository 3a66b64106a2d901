import "server-only";
import { decryptSecret } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { identifyRemote } from "../remote/provider";
import { lsRemote } from "../remote/remote-git";
import { vetRemoteUrl } from "../remote/vet-remote-url";
import { loadRepository } from "./load-repository";
import type { TestRemoteInput } from "./schemas";
import type { RemoteTestResult } from "./types";

/**
 * Tries a remote with ls-remote: the one in the body (with its token) or the connected one (with
 * the stored token). A URL that fails the policy is a 422 on `url`; a remote that answers badly
 * is `{ ok: false, reason }` in words a user can act on, never git's output.
 */
export async function testRemote(
  ctx: OrgContext,
  slug: string,
  input: TestRemoteInput,
): Promise<RemoteTestResult> {
  const { repo } = await ctx.tx((tx) => loadRepository(tx, ctx.org.id, slug));
  let url = input.url;
  let token = input.token ?? null;
  if (!url) {
    if (!repo.remoteUrl) throw new AppError("conflict", "No remote is connected to this project.");
    url = repo.remoteUrl;
    token = repo.remoteTokenEncrypted ? decryptSecret(repo.remoteTokenEncrypted) : null;
  }
  const remote = await vetRemoteUrl(url, { field: "url" });
  identifyRemote(remote, input.url ? input.provider : (repo.remoteProvider ?? undefined));
  try {
    const heads = await lsRemote(remote, token);
    return { ok: true, defaultBranch: heads.defaultBranch, branches: heads.heads.size };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, reason: error.message };
    throw error;
  }
}
