import { createGuardedFetch } from "@/lib/net/guarded-fetch";

/**
 * The fetch for an organization's own model server (its base URL is tenant input; the instance's
 * env-configured providers are the operator's and use plain fetch). http:// is allowed (local
 * model servers), internal addresses only with ALLOW_PRIVATE_NETWORK_URLS. Bounds are generous:
 * a non-streamed call answers only when generation ends, and a streamed one may run for minutes.
 */
export const orgModelFetch = createGuardedFetch({
  allowHttp: true,
  timeoutMs: 5 * 60_000,
  bodyIdleTimeoutMs: 2 * 60_000,
  maxBytes: 64 * 1024 * 1024,
});
