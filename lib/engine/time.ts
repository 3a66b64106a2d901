const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Milliseconds in an Inngest time string as the SDK sends them ("1s", "2h30m10s", "1w"), or
 * undefined when `text` is not one.
 */
export function parseDuration(text: string): number | undefined {
  if (text === "") return 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    matched = re.lastIndex;
  }
  return matched === text.length ? total : undefined;
}

/** A sleep target: a duration from `now`, or an ISO date (`step.sleepUntil`). */
export function resolveDeadline(text: string, now: number): Date | undefined {
  const ms = parseDuration(text);
  if (ms !== undefined) return new Date(now + ms);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : new Date(at);
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A ULID (time-ordered, 26 chars) like the ids Inngest gives events and runs. With `entropy` the
 * id is deterministic, so a retried `send` with the SDK's id seed dedupes to the same event.
 */
export function ulid(time = Date.now(), entropy?: Uint8Array): string {
  let out = "";
  let t = time;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[t % 32] + out;
    t = Math.floor(t / 32);
  }
  const bytes = entropy ?? crypto.getRandomValues(new Uint8Array(10));
  let bits = 0;
  let acc = 0;
  for (const b of bytes.subarray(0, 10)) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CROCKFORD[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}
