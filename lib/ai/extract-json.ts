export type ExtractedJson =
  | { ok: true; value: unknown; text: string }
  /** `truncated`: it starts like JSON but ends early; `not_json`: prose with no JSON object in it. */
  | { ok: false; reason: "truncated" | "not_json" };

const parse = (text: string): { ok: true; value: unknown } | null => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return null;
  }
};

/** The first balanced `{...}` or `[...]` from `start`, skipping brackets inside strings. */
function balancedFrom(text: string, start: number): string | null {
  const open = text[start];
  const close = open === "{" ? "}" : "]";
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === open) depth++;
    else if (c === close && --depth === 0) return text.slice(start, i + 1);
  }
  return null;
}

/**
 * The JSON inside a model's answer: the whole text, a ```json fenced block, or the first complete
 * object in prose ("Here is the plan: {...}"). Models without a JSON mode answer like that.
 */
export function extractJson(raw: string): ExtractedJson {
  const text = raw.trim();
  const whole = parse(text);
  if (whole) return { ...whole, text };
  const fenced = /```(?:json|JSON)?\s*\n?([\s\S]*?)(?:```|$)/.exec(text)?.[1]?.trim();
  if (fenced) {
    const inFence = parse(fenced);
    if (inFence) return { ...inFence, text: fenced };
  }
  const source = fenced ?? text;
  const starts = [source.indexOf("{"), source.indexOf("[")].filter((i) => i >= 0);
  if (!starts.length) return { ok: false, reason: "not_json" };
  const start = Math.min(...starts);
  const candidate = balancedFrom(source, start);
  if (!candidate) return { ok: false, reason: start === 0 || fenced ? "truncated" : "not_json" };
  const inProse = parse(candidate);
  return inProse ? { ...inProse, text: candidate } : { ok: false, reason: "not_json" };
}
