import { FLUSH_PKT, pktLine, sideBand } from "./pkt-line";
import type { PushCommand } from "./read-push-commands";

/**
 * Answers a receive-pack request without running git, in git's own report-status: each refused
 * ref shows as `! [remote rejected] <ref> (<reason>)` and `message` as `remote: …` lines. The
 * push is all or nothing, so the other refs are reported as not updated.
 */
export function refusePushResponse(
  commands: PushCommand[],
  refused: Map<string, string>,
  capabilities: Set<string>,
  message: string,
): Response {
  const report = Buffer.concat([
    pktLine("unpack ok\n"),
    ...commands.map(({ ref }) =>
      pktLine(`ng ${ref} ${refused.get(ref) ?? "not updated: another ref in this push was refused"}\n`),
    ),
    FLUSH_PKT,
  ]);
  const sideBanded = capabilities.has("side-band-64k") || capabilities.has("side-band");
  const body = sideBanded
    ? Buffer.concat([
        ...message.split("\n").map((line) => sideBand(2, `${line}\n`)),
        sideBand(1, report),
        FLUSH_PKT,
      ])
    : report;
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: {
      "content-type": "application/x-git-receive-pack-result",
      "cache-control": "no-cache, max-age=0, must-revalidate",
    },
  });
}
