import "server-only";
import type { Root } from "hast";
import { all, createLowlight } from "lowlight";

// Every highlight.js grammar, on the server only: none of it reaches the browser bundle.
const lowlight = createLowlight(all);

/** Highlighted HAST for `code` in `language` (highlight.js name), or null to show it plain. */
export function highlight(code: string, language: string | null): Root | null {
  if (!language || language === "plaintext" || !lowlight.registered(language)) return null;
  try {
    return lowlight.highlight(language, code);
  } catch {
    return null;
  }
}
