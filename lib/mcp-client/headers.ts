import { decryptSecret, encryptSecret } from "@/lib/crypto";

export type HeaderRow = { name: string; value: string };

/** The stored headers (`{ name: value }`), decrypted; empty when none. */
export function readHeaders(encrypted: string | null): Record<string, string> {
  if (!encrypted) return {};
  const parsed = JSON.parse(decryptSecret(encrypted)) as unknown;
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
  return Object.fromEntries(
    Object.entries(parsed as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === "string",
    ),
  );
}

/** Encrypted JSON of the headers, or null without any; with their names for display. */
export function sealHeaders(headers: Record<string, string>): { encrypted: string | null; names: string[] } {
  const names = Object.keys(headers);
  return { encrypted: names.length ? encryptSecret(JSON.stringify(headers)) : null, names };
}

/**
 * The headers after an edit: the rows given, a blank value keeping the stored value of the header
 * with that name (case-insensitive). Returns the names of blank rows with nothing stored.
 */
export function mergeHeaders(
  stored: Record<string, string>,
  rows: HeaderRow[],
): { headers: Record<string, string>; missing: string[] } {
  const byLower = new Map(Object.entries(stored).map(([k, v]) => [k.toLowerCase(), v]));
  const headers: Record<string, string> = {};
  const missing: string[] = [];
  for (const row of rows) {
    const value = row.value.length ? row.value : byLower.get(row.name.toLowerCase());
    if (value === undefined) missing.push(row.name);
    else headers[row.name] = value;
  }
  return { headers, missing };
}
