export const ZERO_SHA = /^0+$/;
const SHA = "[0-9a-f]{40}(?:[0-9a-f]{24})?";
const COMMAND = new RegExp(`^(${SHA}) (${SHA}) (\\S+)$`);

export type PushCommand = { oldSha: string; newSha: string; ref: string };

export type PushRequestHead = {
  commands: PushCommand[];
  capabilities: Set<string>;
  /** Every byte read from the body so far (the command section and the start of the pack). */
  consumed: Buffer;
};

export class PushParseError extends Error {}

/** The command section of a receive-pack request is tiny; past this it is not a push we take. */
export const MAX_COMMAND_SECTION_BYTES = 1024 * 1024;

/**
 * Reads a `git-receive-pack` request's command list (`<old> <new> <ref>` pkt-lines up to the
 * flush), buffering only that section (none: git's auth probe, a lone flush): the caller forwards `consumed` and then the rest of the
 * source to git, so the pack itself streams. Shallow lines are allowed; signed pushes are not.
 */
export async function readPushCommands(
  source: AsyncIterator<Uint8Array>,
  maxBytes = MAX_COMMAND_SECTION_BYTES,
): Promise<PushRequestHead> {
  let buf = Buffer.alloc(0);
  let at = 0;
  const commands: PushCommand[] = [];
  let capabilities = new Set<string>();
  const need = async (n: number) => {
    while (buf.length < at + n) {
      if (buf.length > maxBytes) throw new PushParseError("The push's command list is too long.");
      const { done, value } = await source.next();
      if (done) throw new PushParseError("The push request ended before its command list did.");
      buf = Buffer.concat([buf, Buffer.from(value)]);
    }
  };
  for (;;) {
    await need(4);
    const hex = buf.subarray(at, at + 4).toString("latin1");
    if (!/^[0-9a-f]{4}$/.test(hex)) throw new PushParseError("The push request is not in git's format.");
    const len = Number.parseInt(hex, 16);
    if (len === 0) {
      at += 4;
      break;
    }
    if (len < 4) throw new PushParseError("The push request is not in git's format.");
    await need(len);
    let line = buf.subarray(at + 4, at + len).toString("utf8");
    at += len;
    if (line.endsWith("\n")) line = line.slice(0, -1);
    const nul = line.indexOf("\0");
    if (nul >= 0) {
      if (commands.length === 0)
        capabilities = new Set(
          line
            .slice(nul + 1)
            .split(" ")
            .filter(Boolean),
        );
      line = line.slice(0, nul);
    }
    if (line.startsWith("shallow ")) continue;
    if (line.startsWith("push-cert")) throw new PushParseError("Signed pushes are not supported.");
    const m = COMMAND.exec(line);
    if (!m) throw new PushParseError("The push request is not in git's format.");
    commands.push({ oldSha: m[1] as string, newSha: m[2] as string, ref: m[3] as string });
  }
  return { commands, capabilities, consumed: buf };
}
