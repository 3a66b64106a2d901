import "server-only";
import { requireScope } from "@/lib/api-keys/key-context";
import { apiKeyRequestContext } from "@/lib/api-keys/resolve";
import { AppError } from "@/lib/errors";
import { enforceLimit } from "@/lib/rate-limit/enforce";
import { findGitRepository } from "./find-git-repository";
import { gitErrorResponse, gitText } from "./git-responses";
import { parseGitPath } from "./parse-git-path";
import { receivePack } from "./receive-pack";
import { acceptedEncoding, MAX_FETCH_REQUEST_BYTES, MAX_PUSH_BYTES, requestBody } from "./request-body";
import { runHttpBackend } from "./run-http-backend";

export type GitHttpOptions = {
  /** Largest push body, decompressed (default 200 MB). */
  maxPushBytes?: number;
};

/** `Git-Protocol: version=2` and the like; anything else is not passed to git. */
const GIT_PROTOCOL = /^[A-Za-z0-9=:._-]{1,128}$/;

/**
 * One request of git's smart HTTP protocol on `/git/<org>/<project>.git/…`: an org API key
 * (Basic password or Bearer), `repos.read` to clone and fetch, `repos.write` to push (the default
 * branch also needs `repos.write_default`), rate-limited per key, served by `git http-backend`.
 */
export async function handleGitRequest(
  req: Request,
  params: { org: string; path: string[] },
  opts: GitHttpOptions = {},
): Promise<Response> {
  try {
    const url = new URL(req.url);
    const parsed = parseGitPath(req.method, params.org, params.path, url.searchParams);
    if (!parsed.ok) return gitText(parsed.status, parsed.message);
    const { target } = parsed;
    const ctx = await apiKeyRequestContext(req).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "unauthenticated") {
        throw new AppError(
          "unauthenticated",
          "Authentication required: the API key is missing, invalid, expired or revoked.",
        );
      }
      throw error;
    });
    if (ctx.apiKey) await enforceLimit("git.key", ctx.apiKey.id);
    if (target.orgSlug !== ctx.org.slug) throw new AppError("not_found", "Repository not found.");
    const push = target.service === "git-receive-pack";
    requireScope(ctx, push ? "repos.write" : "repos.read");
    const repository = await findGitRepository(ctx, target.orgSlug, target.projectSlug);
    if (push && repository.archived) {
      throw new AppError("forbidden", "This project is archived and read-only; unarchive it to push.");
    }
    const protocolHeader = req.headers.get("git-protocol");
    const gitProtocol = protocolHeader && GIT_PROTOCOL.test(protocolHeader) ? protocolHeader : null;

    if (target.kind === "advertise") {
      return await runHttpBackend({
        origin: repository.origin,
        suffix: "info/refs",
        method: "GET",
        query: `service=${target.service}`,
        contentType: null,
        gitProtocol,
        remoteUser: `api-key-${ctx.apiKey?.prefix ?? "session"}`,
        input: null,
      });
    }
    const contentType = req.headers.get("content-type")?.trim() ?? "";
    if (contentType !== `application/x-${target.service}-request`) {
      return gitText(415, `Expected Content-Type application/x-${target.service}-request.`);
    }
    if (!acceptedEncoding(req)) return gitText(415, "Unsupported Content-Encoding.");
    if (push) {
      return await receivePack(ctx, req, repository, {
        maxBytes: opts.maxPushBytes ?? MAX_PUSH_BYTES,
        contentType,
        gitProtocol,
      });
    }
    return await runHttpBackend({
      origin: repository.origin,
      suffix: "git-upload-pack",
      method: "POST",
      query: "",
      contentType,
      gitProtocol,
      remoteUser: `api-key-${ctx.apiKey?.prefix ?? "session"}`,
      input: requestBody(req, MAX_FETCH_REQUEST_BYTES),
    });
  } catch (error) {
    return gitErrorResponse(error);
  }
}
