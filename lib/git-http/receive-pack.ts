import "server-only";
import type { OrgContext } from "@/lib/orgs/context";
import { auditPush } from "./audit-push";
import { checkPush } from "./check-push";
import type { GitRepository } from "./find-git-repository";
import { gitText } from "./git-responses";
import { PushParseError, type PushRequestHead, readPushCommands } from "./read-push-commands";
import { refusePushResponse } from "./refuse-push";
import { BodyTooLargeError, requestBody } from "./request-body";
import { runHttpBackend } from "./run-http-backend";

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
  opts: { maxBytes: number; contentType: string; gitProtocol: string | null },
): Promise<Response> {
  const body = requestBody(req, opts.maxBytes);
  let head: PushRequestHead;
  try {
    head = await readPushCommands(body);
  } catch (error) {
    await body.return(undefined);
    if (error instanceof PushParseError) return gitText(400, error.message);
    if (error instanceof BodyTooLargeError) return gitText(413, "The push's command list is too large.");
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
  if (commands.length === 0) return runHttpBackend(backend);
  const refused = checkPush(commands, {
    defaultBranch: repository.defaultBranch,
    canWriteDefault: ctx.can("repos.write_default"),
  });
  if (refused.size > 0) {
    // Read what git already sent (bounded by the size cap) so it sees the answer, not a reset.
    await drain(body);
    const reasons = [...new Set(refused.values())];
    return refusePushResponse(
      commands,
      refused,
      capabilities,
      `DafnckMachine: push refused: ${reasons.join("; ")}`,
    );
  }
  const tooLarge = (error: unknown) => {
    if (!(error instanceof BodyTooLargeError)) return gitText(400, "The push could not be read.");
    const reason = `the push is larger than the ${sizeText(error.limit)} limit`;
    return refusePushResponse(
      commands,
      new Map(commands.map(({ ref }) => [ref, reason])),
      capabilities,
      `DafnckMachine: push refused: ${reason}; push fewer or smaller commits at a time`,
    );
  };
  return runHttpBackend({
    ...backend,
    holdOutputUntilInputEnds: true,
    onInputError: tooLarge,
    onSuccess: () => auditPush(ctx, repository, commands),
  });
}

async function drain(body: AsyncGenerator<Uint8Array>): Promise<void> {
  try {
    for (;;) if ((await body.next()).done) return;
  } catch {
    // Over the cap or a broken body: stop reading, the refusal goes out anyway.
  }
}
