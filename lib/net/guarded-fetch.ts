import type { LookupAddress } from "node:dns";
import { Agent, fetch as undiciFetch } from "undici";
import { UnreachableUrlError, type UrlPolicy, type VettedUrl, vetUrl } from "./vet-url";

export type GuardOptions = UrlPolicy & {
  /** Redirects followed (each hop re-checked) when the caller asks to follow; default 3. */
  maxRedirects?: number;
  /** Deadline for the response headers, across all hops; default 10 s. */
  timeoutMs?: number;
  /** Longest silence allowed while the body streams; default 30 s. */
  bodyIdleTimeoutMs?: number;
  /** Largest body passed on; a stream that grows past it errors. Default 1 MiB. */
  maxBytes?: number;
};

const DEFAULTS = { maxRedirects: 3, timeoutMs: 10_000, bodyIdleTimeoutMs: 30_000, maxBytes: 1024 * 1024 };
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
// Credentials meant for the first origin are not sent to another one a redirect names.
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|key|token|secret/i;

/** Responses whose every hop connected to a public address (see `reachedPublicAddress`). */
const publicResponses = new WeakSet<Response>();

/** True when the response came from public addresses only: then its details may be shown. */
export function reachedPublicAddress(response: Response): boolean {
  return publicResponses.has(response);
}

/** An undici dispatcher that connects only to the addresses already checked. */
function pinnedAgent(vetted: VettedUrl, bodyTimeout: number, headersTimeout: number): Agent {
  const addresses = vetted.addresses;
  return new Agent({
    headersTimeout,
    bodyTimeout,
    connect: {
      lookup(_hostname, options, callback) {
        const wanted =
          options.family === 6 || options.family === "IPv6"
            ? 6
            : options.family === 4 || options.family === "IPv4"
              ? 4
              : 0;
        const list = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
        const first = list[0];
        if (!first) return callback(new Error("no vetted address for this family"), "", 0);
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
        callback(null, first.address, first.family);
      },
    },
  });
}

/** Passes the body on chunk by chunk (streams still stream), erroring past `maxBytes`. */
function cappedBody(body: ReadableStream<Uint8Array>, maxBytes: number, release: () => void, url: URL) {
  const reader = body.getReader();
  let total = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          release();
          return;
        }
        total += value.byteLength;
        if (total > maxBytes) {
          await reader.cancel().catch(() => {});
          release();
          controller.error(new UnreachableUrlError(`${url.origin} sent more than ${maxBytes} bytes`));
          return;
        }
        controller.enqueue(value);
      } catch (error) {
        release();
        // The address was vetted and answered: a cut now says nothing about internal ports, and the
        // caller (e.g. a model call) needs to tell a cut stream from a refused address. A silent
        // body is the guard's own bound, reported like its other limits.
        const cause = (error as { cause?: { code?: unknown } })?.cause;
        controller.error(
          cause?.code === "UND_ERR_BODY_TIMEOUT"
            ? new UnreachableUrlError(`${url.origin} went silent`)
            : error,
        );
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
}

type UndiciInit = NonNullable<Parameters<typeof undiciFetch>[1]>;

type Hop = { url: URL; method: string; headers: Headers; body: RequestInit["body"] };

async function fromRequest(input: RequestInfo | URL, init: RequestInit): Promise<[URL, RequestInit]> {
  if (!(input instanceof Request)) return [new URL(input instanceof URL ? input.href : input), init];
  const hasBody = input.body !== null && !["GET", "HEAD"].includes(input.method);
  return [
    new URL(input.url),
    {
      method: input.method,
      headers: input.headers,
      body: hasBody ? await input.arrayBuffer() : undefined,
      signal: input.signal,
      redirect: input.redirect,
      ...init,
    },
  ];
}

function nextHop(hop: Hop, status: number, location: URL): Hop {
  const headers = new Headers(hop.headers);
  if (location.origin !== hop.url.origin) {
    for (const name of [...headers.keys()]) if (CREDENTIAL_HEADER.test(name)) headers.delete(name);
  }
  // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
  if (status === 303 ? hop.method !== "HEAD" : (status === 301 || status === 302) && hop.method === "POST") {
    headers.delete("content-type");
    headers.delete("content-length");
    return { url: location, method: "GET", headers, body: undefined };
  }
  if (hop.body instanceof ReadableStream) throw new UnreachableUrlError("cannot replay a streamed body");
  return { url: location, method: hop.method, headers, body: hop.body };
}

/**
 * `fetch` for every URL an organization supplies (IdP, model server, and later webhooks, MCP
 * servers, git remotes). Same signature as `fetch`, so it can be an AI SDK provider's `fetch` or
 * Auth.js's `customFetch`. Refuses non-http(s) URLs and internal addresses (every address the host
 * resolves to, and again at each redirect), connects only to the address it checked, and bounds
 * time and size. Failures throw `UnreachableUrlError` with one message that does not describe the
 * target; the reason goes to the server log.
 */
export function createGuardedFetch(options: GuardOptions = {}): typeof fetch {
  const { maxRedirects, timeoutMs, bodyIdleTimeoutMs, maxBytes } = { ...DEFAULTS, ...options };

  return async function guardedFetch(input: RequestInfo | URL, rawInit: RequestInit = {}) {
    let url: URL;
    let init: RequestInit;
    try {
      [url, init] = await fromRequest(input, rawInit);
    } catch {
      throw new UnreachableUrlError("not a URL");
    }
    const callerSignal = init.signal ?? undefined;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new UnreachableUrlError("timed out")), timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, deadline.signal]) : deadline.signal;
    const mode = init.redirect ?? "follow";
    let hop: Hop = {
      url,
      method: (init.method ?? "GET").toUpperCase(),
      headers: new Headers(init.headers),
      body: init.body,
    };
    let allPublic = true;

    try {
      for (let count = 0; ; count++) {
        const vetted = await vetUrl(hop.url, options, count);
        allPublic &&= vetted.allPublic;
        const agent = pinnedAgent(vetted, bodyIdleTimeoutMs, timeoutMs);
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          agent.destroy().catch(() => {});
        };
        let response: Response;
        try {
          // undici's own fetch with its own Agent: one version, whatever undici Node bundles. The
          // DOM and undici typings differ only in name for these fields.
          const request = {
            ...init,
            method: hop.method,
            headers: hop.headers,
            body: hop.body,
            redirect: "manual",
            signal,
            dispatcher: agent,
          };
          response = (await undiciFetch(hop.url, request as UndiciInit)) as unknown as Response;
        } catch (error) {
          release();
          throw error;
        }

        const location = response.headers.get("location");
        if (REDIRECT_STATUSES.has(response.status) && location && mode !== "manual") {
          await response.body?.cancel().catch(() => {});
          release();
          if (mode === "error") throw new UnreachableUrlError(`redirected (redirect: "error")`);
          if (count >= maxRedirects) throw new UnreachableUrlError(`more than ${maxRedirects} redirects`);
          let target: URL;
          try {
            target = new URL(location, hop.url);
          } catch {
            throw new UnreachableUrlError("redirect to an invalid URL");
          }
          hop = nextHop(hop, response.status, target);
          continue;
        }

        const length = Number(response.headers.get("content-length") ?? 0);
        if (length > maxBytes) {
          await response.body?.cancel().catch(() => {});
          release();
          throw new UnreachableUrlError(`content-length ${length} over ${maxBytes}`);
        }
        const body =
          response.body && !NULL_BODY_STATUSES.has(response.status)
            ? cappedBody(response.body, maxBytes, release, hop.url)
            : null;
        if (!body) release();
        const result = new Response(body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
        if (allPublic) publicResponses.add(result);
        return result;
      }
    } catch (error) {
      // The caller's own abort keeps its reason, so AI SDK and Auth.js see a normal cancellation.
      if (callerSignal?.aborted) throw callerSignal.reason;
      const refused = error instanceof UnreachableUrlError ? error : null;
      const reason = refused?.reason ?? describeNetworkError(error);
      console.warn(`[net] refused or failed ${hop.method} ${hop.url.origin}${hop.url.pathname}: ${reason}`);
      throw refused ?? new UnreachableUrlError(reason);
    } finally {
      clearTimeout(timer);
    }
  };
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof UnreachableUrlError) return cause.reason;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

/** The guard with its defaults: for small JSON documents (discovery, tokens, keys). */
export const guardedFetch = createGuardedFetch();
