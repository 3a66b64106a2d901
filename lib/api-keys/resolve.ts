import { AppError } from "@/lib/errors";
import type { OrgContext } from "@/lib/orgs/context";
import { metaFromHeaders } from "@/lib/request-meta";
import { authenticateApiKey } from "./authenticate";
import { presentedApiKey } from "./credentials";
import { apiKeyContext } from "./key-context";

/**
 * The org context of a request authenticated by an API key (REST v1, MCP, git over HTTPS).
 * No key, or a bad one: 401. Scopes are checked by the caller with `requireScope`.
 */
export async function apiKeyRequestContext(req: Request): Promise<OrgContext> {
  const presented = presentedApiKey(req.headers);
  if (!presented) {
    throw new AppError("unauthenticated", "Send an org API key: Authorization: Bearer dmk_…");
  }
  const meta = metaFromHeaders(req.headers);
  return apiKeyContext(await authenticateApiKey(presented, meta), meta);
}
