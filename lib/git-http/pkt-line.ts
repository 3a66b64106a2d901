/** git's pkt-line framing: 4 hex digits of length (including themselves), then the payload. */
export const FLUSH_PKT = Buffer.from("0000");

export function pktLine(payload: string | Buffer): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  if (data.length + 4 > 65520) throw new Error("pkt-line payload too long");
  return Buffer.concat([Buffer.from((data.length + 4).toString(16).padStart(4, "0")), data]);
}

/** A pkt-line on a side-band channel (1 data, 2 progress shown as `remote: …`, 3 fatal error). */
export function sideBand(channel: 1 | 2 | 3, payload: string | Buffer): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  const out: Buffer[] = [];
  // Each side-band packet carries at most 65515 bytes after the channel byte.
  for (let at = 0; at < data.length || at === 0; at += 65515) {
    out.push(pktLine(Buffer.concat([Buffer.from([channel]), data.subarray(at, at + 65515)])));
    if (data.length === 0) break;
  }
  return Buffer.concat(out);
}
