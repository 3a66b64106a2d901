import { signatureHeader } from "./signing";

/** A fetch-style serve handler: `serve()` from `inngest/next` (or any adapter) fits. */
export type ServeHandler = (req: Request) => Promise<Response>;

export type Transport = {
  /** The serve URL the SDK is told it lives at; in-process calls never leave the process. */
  url: string;
  send(req: Request): Promise<Response>;
};

/** Calls the serve handler directly with a `Request`: no socket, same process (the default). */
export function inProcessTransport(
  handler: ServeHandler,
  url = "http://embedded-engine.local/api/inngest",
): Transport {
  return { url, send: (req) => handler(req) };
}

/** Sends the same requests over HTTP to a serve endpoint (e.g. the app's own port). */
export function httpTransport(url: string): Transport {
  return { url, send: (req) => fetch(req) };
}

export type StepState = Record<string, { type: "data"; data: unknown } | { type: "error"; error: unknown }>;

export type ExecutionRequest = {
  functionId: string;
  /** "step" asks the SDK to run whatever comes next; a hashed id runs that planned step. */
  stepId: string;
  runId: string;
  event: unknown;
  steps: StepState;
  stack: string[];
  attempt: number;
  maxAttempts: number;
  disableImmediateExecution: boolean;
  /** When set, the SDK checkpoints each finished step back to the engine and keeps going. */
  checkpoint?: { claim: string };
};

/** Builds the signed execution call of the SDK's HTTP protocol (request version 2). */
export function executionRequest(transport: Transport, signingKey: string, r: ExecutionRequest): Request {
  const body = {
    version: 2,
    event: r.event,
    events: [r.event],
    steps: r.steps,
    ctx: {
      run_id: r.runId,
      attempt: r.attempt,
      max_attempts: r.maxAttempts,
      disable_immediate_execution: r.disableImmediateExecution,
      use_api: false,
      stack: { stack: r.stack, current: r.stack.length - 1 },
      ...(r.checkpoint ? { fn_id: r.functionId, qi_id: r.checkpoint.claim } : {}),
    },
  };
  const url = new URL(transport.url);
  url.searchParams.set("fnId", r.functionId);
  url.searchParams.set("stepId", r.stepId);
  return new Request(url, {
    method: "POST",
    body: JSON.stringify(body),
    headers: {
      "content-type": "application/json",
      "x-inngest-signature": signatureHeader(signingKey, body),
      "x-inngest-req-version": "2",
      "x-run-id": r.runId,
    },
  });
}

/** The in-band sync call (`PUT`): the SDK answers with every function's configuration. */
export function syncRequest(transport: Transport, signingKey: string): Request {
  const body = { url: transport.url };
  return new Request(transport.url, {
    method: "PUT",
    body: JSON.stringify(body),
    headers: {
      "content-type": "application/json",
      "x-inngest-sync-kind": "in_band",
      "x-inngest-signature": signatureHeader(signingKey, body),
    },
  });
}
