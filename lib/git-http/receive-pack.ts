import "server-only";
import { requestRepositoryIndex } from "@/lib/knowledge/request-repository-index";
import type { OrgContext } from "@/lib/orgs/context";
import { auditPush } from "./audit-push";
import { checkPush } from "./check-push";
import type { GitRepository } from "./find-git-repository";
import { gitText } from "./git-responses";
import { PushParseError, type PushRequestHead, readPushCommands } from "./read-push-commands";
import { refusePushResponse } from "./refuse-push";
import { type BodyLimits, BodyReadError, BodyTooLargeError, requestBody } from "./request-body";
import { type HttpBackendRequest, runHttpBackend } from "./run-http-backend";

/**
 * After a refusal, what of the rest of the push is still read (and dropped) so git sees the
 * answer rather than a reset; past it the connection is closed (git then reports a broken
 * connection instead of the reason, only for pushes this large).
 */
export const REFUSAL_DRAIN = { maxBytes: 4 * 1024 * 1024, maxMs: 10_000 };

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;

/**
 * `POST …/git-receive-pack`: reads the push's ref updates before git sees the body, refuses the
 * push in git's own report (so `git push` prints why) when a ref is outside refs/heads/ or is the
 * default branch without `repos.write_default`, else streams the pack into git and audits the refs
 * that changed. Bodies past `maxBytes` (decompressed) are refused with a message.
 */
export async function receivePack(
  ctx: OrgContext,
  req: Request,
  repository: GitRepository,
  opts: {
    body: BodyLimits;
    contentType: string;
    gitProtocol: string | null;
    /** runHttpBackend, or the caller's wrapper of it (the concurrency slot). */
    run?: (req: HttpBackendRequest) => Promise<Response>;
    refusalDrain?: { maxBytes: number; maxMs: number };
  },
): Promise<Response> {
  const run = opts.run ?? runHttpBackend;
  const body = requestBody(req, opts.body);
  let head: PushRequestHead;
  try {
    head = await readPushCommands(body);
  } catch (error) {
    await body.return(undefined);
    if (error instanceof PushParseError) return gitText(400, error.message);
    if (error instanceof BodyTooLargeError) return gitText(413, "The push's command list is too large.");
    if (error instanceof BodyReadError) return gitText(error.status, error.message);
    throw error;
  }
  const { commands, capabilities, consumed } = head;
  const input = (async function* () {
    yield consumed;
    yield* { [Symbol.asyncIterator]: () => body };
  })();
  const backend = {
    origin: repository.origin,
    suffix: "git-receive-pack",
    method: "POST",
    query: "",
    contentType: opts.contentType,
    gitProtocol: opts.gitProtocol,
    remoteUser: ctx.apiKey ? `api-key-${ctx.apiKey.prefix}` : ctx.user.email,
    input,
  } as const;
  // git probes a large push with a lone flush (to settle auth before streaming): git answers it.
  if (commands.length === 0) return run(backend);
  const refused = checkPush(commands, {
    defaultBranch: repository.defaultBranch,
    canWriteDefault: ctx.can("repos.write_default"),
  });
  if (refused.size > 0) {
    // Read what git already sent (bounded by the size cap) so it sees the answer, not a reset.
    await drain(body, opts.refusalDrain ?? REFUSAL_DRAIN);
    const reasons = [...new Set(refused.values())];
    return refusePushResponse(
      commands,
      refused,
      capabilities,
      `DafnckMachine: push refused: ${reasons.join("; ")}`,
    );
  }
  const tooLarge = (error: unknown) => {
    if (error instanceof BodyReadError) return gitText(error.status, error.message);
    if (!(error instanceof BodyTooLargeError)) return gitText(400, "The push could not be read.");
    const reason = `the push is larger than the ${sizeText(error.limit)} limit`;
    return refusePushResponse(
      commands,
      new Map(commands.map(({ ref }) => [ref, reason])),
      capabilities,
      `DafnckMachine: push refused: ${reason}; push fewer or smaller commits at a time`,
    );
  };
  return run({
    ...backend,
    holdOutputUntilInputEnds: true,
    onInputError: tooLarge,
    // On every exit of git (even killed, even when the pusher hung up without reading the
    // report): auditPush reads the refs back and records those that did change.
    onExit: async () => {
      await auditPush(ctx, repository, commands);
      // The default branch moved: its docs and READMEs are re-indexed for the knowledge base.
      if (commands.some(({ ref }) => ref === `refs/heads/${repository.defaultBranch}`)) {
        await requestRepositoryIndex(ctx.org.id, repository.projectId);
      }
    },
  });
}

/** Reads and drops at most `limit` more of the body, then lets it go (the generator closes it). */
async function drain(body: AsyncGenerator<Uint8Array>, limit: { maxBytes: number; maxMs: number }) {
  const until = Date.now() + limit.maxMs;
  let read = 0;
  try {
    for (;;) {
      const remaining = until - Date.now();
      if (remaining <= 0 || read > limit.maxBytes) return;
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([
        body.next(),
        new Promise<"timeout">((resolve) => {
          timer = setTimeout(() => resolve("timeout"), remaining);
        }),
      ]).finally(() => clearTimeout(timer));
      if (next === "timeout" || next.done) return;
      read += next.value.length;
    }
  } catch {
    // Over the cap or a broken body: stop reading, the refusal goes out anyway.
  } finally {
    // Not awaited: a read still pending (the cap's timeout) would hold the answer back.
    void body.return(undefined).catch(() => {});
  }
}
