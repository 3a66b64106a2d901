import "server-only";
import { requireScope } from "@/lib/api-keys/key-context";
import { apiKeyRequestContext } from "@/lib/api-keys/resolve";
import { AppError } from "@/lib/errors";
import { enforceLimit } from "@/lib/rate-limit/enforce";
import { acquireGitSlot, gitConcurrencyLimits } from "./concurrency";
import { findGitRepository } from "./find-git-repository";
import { gitErrorResponse, gitText } from "./git-responses";
import { parseGitPath } from "./parse-git-path";
import { receivePack } from "./receive-pack";
import {
  acceptedEncoding,
  BodyReadError,
  FETCH_BODY_DEADLINE_MS,
  MAX_FETCH_REQUEST_BYTES,
  MAX_PUSH_BYTES,
  PUSH_BODY_DEADLINE_MS,
  requestBody,
} from "./request-body";
import { type HttpBackendRequest, runHttpBackend } from "./run-http-backend";

export type GitHttpOptions = {
  /** Largest push body, decompressed (default 200 MB). */
  maxPushBytes?: number;
  /** A body that sends nothing this long is aborted (default 60 s). */
  bodyIdleMs?: number;
  /** Whole-body deadline for a push (default 10 min); fetch bodies get FETCH_BODY_DEADLINE_MS. */
  pushBodyDeadlineMs?: number;
  /** Concurrent git processes per org and per server process (default from the env, 4 and 16). */
  concurrency?: { perOrg: number; global: number };
  /** What of a refused push is still read before answering (receive-pack.ts REFUSAL_DRAIN). */
  refusalDrain?: { maxBytes: number; maxMs: number };
};

/** Seconds a client turned away for concurrency is told to wait. */
const BUSY_RETRY_AFTER_SECONDS = 5;

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
  let release: (() => void) | null = null;
  let gitStarted = false;
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
    release = acquireGitSlot(ctx.org.id, opts.concurrency ?? gitConcurrencyLimits());
    if (!release) {
      return gitText(429, "Too many git operations at once for this organization; retry shortly.", {
        "retry-after": String(BUSY_RETRY_AFTER_SECONDS),
      });
    }
    const slot = release;
    // Every git process holds the slot until it is gone, however the response ends.
    const run = (backend: HttpBackendRequest) => {
      gitStarted = true;
      return runHttpBackend({ ...backend, onClosed: slot });
    };
    const protocolHeader = req.headers.get("git-protocol");
    const gitProtocol = protocolHeader && GIT_PROTOCOL.test(protocolHeader) ? protocolHeader : null;

    if (target.kind === "advertise") {
      return await run({
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
        body: {
          maxBytes: opts.maxPushBytes ?? MAX_PUSH_BYTES,
          idleMs: opts.bodyIdleMs,
          deadlineMs: opts.pushBodyDeadlineMs ?? PUSH_BODY_DEADLINE_MS,
        },
        contentType,
        gitProtocol,
        run,
        refusalDrain: opts.refusalDrain,
      });
    }
    return await run({
      origin: repository.origin,
      suffix: "git-upload-pack",
      method: "POST",
      query: "",
      contentType,
      gitProtocol,
      remoteUser: `api-key-${ctx.apiKey?.prefix ?? "session"}`,
      input: requestBody(req, {
        maxBytes: MAX_FETCH_REQUEST_BYTES,
        idleMs: opts.bodyIdleMs,
        deadlineMs: FETCH_BODY_DEADLINE_MS,
      }),
      // upload-pack answers only once it has read the request: holding git's headers until the
      // body is in costs nothing and lets a corrupt gzip body or a stalled client get a 4xx
      // saying so (git is killed) instead of a 200 cut short.
      holdOutputUntilInputEnds: true,
      onInputError: (error) =>
        error instanceof BodyReadError
          ? gitText(error.status, error.message)
          : gitText(413, "The fetch request is too large."),
    });
  } catch (error) {
    return gitErrorResponse(error);
  } finally {
    // Answered without git (refused, 4xx) or git failed to start: the slot goes back now.
    if (!gitStarted) release?.();
  }
}
