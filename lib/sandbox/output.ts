/**
 * A command's output, bounded: the first half of the limit is kept as it comes, the last half in
 * a ring buffer, and everything between is counted and dropped. Memory held never exceeds the
 * limit however much the command writes (1 GB of output costs 1 MiB here).
 *
 * The live feed (`onOutput`) is bounded too: chunks are coalesced (one call per
 * LIVE_FLUSH_MS, or when LIVE_CHUNK_BYTES are pending) and at most LIVE_OUTPUT_CAP_BYTES are
 * forwarded per command, then one notice says the rest is in the result.
 */

/** Most bytes forwarded to onOutput per command. */
export const LIVE_OUTPUT_CAP_BYTES = 256 * 1024;
/** Largest single onOutput chunk. */
export const LIVE_CHUNK_BYTES = 16 * 1024;
/** At most one onOutput call per this many milliseconds (a final flush comes at the end). */
export const LIVE_FLUSH_MS = 100;
/** A command that writes more than this in all is killed (outcome "output"): a flood ends early. */
export const OUTPUT_KILL_BYTES = 2 * 1024 * 1024 * 1024;

export const LIVE_CAP_NOTICE = `\n… [live output stops here (${LIVE_OUTPUT_CAP_BYTES / 1024} KiB); the head and tail are kept in the result] …\n`;

export const omittedMarker = (bytes: number) => `\n… [${bytes} bytes omitted] …\n`;

/** Length of `buf` without a trailing incomplete UTF-8 sequence. */
export function completeUtf8Length(buf: Uint8Array, end = buf.length): number {
  // Walk back over at most 3 continuation bytes to the sequence's lead byte.
  let i = end - 1;
  let back = 0;
  while (i >= 0 && back < 3 && ((buf[i] ?? 0) & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i < 0) return end;
  const lead = buf[i] ?? 0;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return end - i >= need ? end : i;
}

/** Offset of the first byte that is not a UTF-8 continuation byte (at most 3 skipped). */
function firstCharStart(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length && i < 3 && ((buf[i] ?? 0) & 0xc0) === 0x80) i++;
  return i;
}

export type CollectedOutput = { output: string; truncated: boolean; outputBytes: number };

export class OutputCollector {
  readonly limit: number;
  private readonly headCap: number;
  private readonly tailCap: number;
  private readonly head: Buffer;
  private headLen = 0;
  private tail: Buffer | null = null;
  private tailPos = 0;
  private tailLen = 0;
  private total = 0;

  private readonly onOutput?: (chunk: string) => void;
  private readonly liveDecoder = new TextDecoder("utf-8");
  private livePending: Buffer[] = [];
  private livePendingBytes = 0;
  private liveSent = 0;
  /** open → capping (the cap was reached; the notice goes with the next flush) → closed. */
  private liveState: "open" | "capping" | "closed" = "open";
  private lastFlush = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(limitBytes: number, onOutput?: (chunk: string) => void) {
    this.limit = Math.max(2, Math.floor(limitBytes));
    this.headCap = Math.floor(this.limit / 2);
    this.tailCap = this.limit - this.headCap;
    this.head = Buffer.allocUnsafe(this.headCap);
    this.onOutput = onOutput;
  }

  /** Bytes written in all (kept or not). */
  get bytes(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headLen < this.headCap) {
      const n = Math.min(this.headCap - this.headLen, rest.length);
      this.head.set(rest.subarray(0, n), this.headLen);
      this.headLen += n;
      rest = rest.subarray(n);
    }
    if (rest.length > 0) this.pushTail(rest);
    if (this.onOutput) this.forward(chunk);
  }

  private pushTail(data: Uint8Array): void {
    this.tail ??= Buffer.allocUnsafe(this.tailCap);
    const cap = this.tailCap;
    const src = data.length > cap ? data.subarray(data.length - cap) : data;
    const first = Math.min(src.length, cap - this.tailPos);
    this.tail.set(src.subarray(0, first), this.tailPos);
    if (first < src.length) this.tail.set(src.subarray(first), 0);
    this.tailPos = (this.tailPos + src.length) % cap;
    this.tailLen = Math.min(cap, this.tailLen + src.length);
  }

  private tailBytes(): Buffer {
    if (!this.tail || this.tailLen === 0) return Buffer.alloc(0);
    if (this.tailLen < this.tailCap) return this.tail.subarray(0, this.tailLen);
    return Buffer.concat([this.tail.subarray(this.tailPos), this.tail.subarray(0, this.tailPos)]);
  }

  /** The output kept: all of it, or head + marker + tail, each cut on a character boundary. */
  result(): CollectedOutput {
    const tail = this.tailBytes();
    const truncated = this.total > this.headLen + tail.length;
    if (!truncated) {
      return {
        output: Buffer.concat([this.head.subarray(0, this.headLen), tail]).toString("utf8"),
        truncated: false,
        outputBytes: this.total,
      };
    }
    const headEnd = completeUtf8Length(this.head, this.headLen);
    const tailStart = firstCharStart(tail);
    const omitted = this.total - headEnd - (tail.length - tailStart);
    return {
      output:
        this.head.subarray(0, headEnd).toString("utf8") +
        omittedMarker(omitted) +
        tail.subarray(tailStart).toString("utf8"),
      truncated: true,
      outputBytes: this.total,
    };
  }

  private forward(chunk: Uint8Array): void {
    if (this.liveState !== "open") return;
    const room = LIVE_OUTPUT_CAP_BYTES - this.liveSent - this.livePendingBytes;
    const take = chunk.length <= room ? chunk : chunk.subarray(0, completeUtf8Length(chunk, room));
    if (take.length > 0) {
      this.livePending.push(Buffer.from(take));
      this.livePendingBytes += take.length;
    }
    if (take.length < chunk.length) {
      this.liveState = "capping";
      this.flush();
      return;
    }
    const now = Date.now();
    if (this.livePendingBytes >= LIVE_CHUNK_BYTES || now - this.lastFlush >= LIVE_FLUSH_MS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), LIVE_FLUSH_MS - (now - this.lastFlush));
  }

  /** Sends what is pending to onOutput (called by the timer, at the cap, and at the end). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.onOutput) return;
    const pending = Buffer.concat(this.livePending);
    this.livePending = [];
    this.livePendingBytes = 0;
    this.lastFlush = Date.now();
    this.liveSent += pending.length;
    for (let i = 0; i < pending.length; i += LIVE_CHUNK_BYTES) {
      const text = this.liveDecoder.decode(pending.subarray(i, i + LIVE_CHUNK_BYTES), { stream: true });
      if (text) this.emit(text);
    }
    if (this.liveState === "capping") {
      this.emit(this.liveDecoder.decode() + LIVE_CAP_NOTICE);
      this.liveState = "closed";
    }
  }

  /** The final flush; nothing is forwarded after it. */
  end(): CollectedOutput {
    this.flush();
    if (this.onOutput && this.liveState === "open") {
      const rest = this.liveDecoder.decode();
      if (rest) this.emit(rest);
    }
    this.liveState = "closed";
    return this.result();
  }

  private emit(text: string): void {
    try {
      this.onOutput?.(text);
    } catch {
      // A failing listener (the live feed) must not break the command.
    }
  }
}
