export type RequestMeta = { ip: string | null; userAgent: string | null };

/** Client IP and user agent for the audit log, from a request's headers. */
export function metaFromHeaders(h: Headers): RequestMeta {
  const forwarded = h.get("x-forwarded-for")?.split(",")[0]?.trim();
  return {
    ip: forwarded || h.get("x-real-ip") || null,
    userAgent: h.get("user-agent")?.slice(0, 512) ?? null,
  };
}

/** The same, inside a server action or server component. */
export async function currentRequestMeta(): Promise<RequestMeta> {
  const { headers } = await import("next/headers");
  return metaFromHeaders(await headers());
}
