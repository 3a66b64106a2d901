/**
 * The part of a document already streamed inside a tool call's JSON input (`"content": "..."`),
 * decoded, so the feed shows a document as it is written instead of "Drafting…" until it is saved.
 * Stops before an escape sequence that has not fully arrived.
 */
export function draftContent(partialJson: string, field = "content"): string {
  const start = partialJson.search(new RegExp(`"${field}"\\s*:\\s*"`));
  if (start < 0) return "";
  let i = partialJson.indexOf('"', partialJson.indexOf(":", start)) + 1;
  let out = "";
  const escapes: Record<string, string> = {
    n: "\n",
    t: "\t",
    r: "\r",
    b: "\b",
    f: "\f",
    '"': '"',
    "\\": "\\",
    "/": "/",
  };
  while (i < partialJson.length) {
    const c = partialJson[i] as string;
    if (c === '"') break;
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    const next = partialJson[i + 1];
    if (next === undefined) break;
    if (next === "u") {
      const hex = partialJson.slice(i + 2, i + 6);
      if (hex.length < 4) break;
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 6;
      continue;
    }
    out += escapes[next] ?? next;
    i += 2;
  }
  return out;
}
