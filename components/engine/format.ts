/** "850 ms", "12.4 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Pretty-prints stored JSON text; falls back to the raw text. */
export function prettyJson(text: string | null | undefined, maxChars = 20_000): string {
  if (text === null || text === undefined) return "";
  let out = text;
  try {
    out = JSON.stringify(JSON.parse(text), null, 2);
  } catch {}
  return out.length > maxChars
    ? `${out.slice(0, maxChars)}\n… (${out.length - maxChars} more characters)`
    : out;
}
