/**
 * The API key a request presents: `Authorization: Bearer <key>` (REST, MCP), or HTTP Basic with the
 * key as the password (git over HTTPS, whose clients send Basic). Null when there is none.
 */
export function presentedApiKey(headers: Headers): string | null {
  const header = headers.get("authorization");
  if (!header) return null;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === "bearer") return value;
  if (scheme.toLowerCase() === "basic") {
    let decoded: string;
    try {
      decoded = Buffer.from(value, "base64").toString("utf8");
    } catch {
      return null;
    }
    const colon = decoded.indexOf(":");
    // `git clone https://x:<key>@host/…` or a credential helper: the password is the key.
    return colon >= 0 ? decoded.slice(colon + 1) : decoded;
  }
  return null;
}
