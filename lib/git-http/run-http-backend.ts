import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gitProcessEnv, redactGitText, spawnGit } from "@/lib/repos/git";
import { MAX_FETCH_REQUEST_BYTES } from "./request-body";

export type HttpBackendRequest = {
  /** The bare repository (lib/repos/paths.ts originPath): its parent is GIT_PROJECT_ROOT. */
  origin: string;
  /** What follows the repository in PATH_INFO: `info/refs`, `git-upload-pack`, `git-receive-pack`. */
  suffix: "info/refs" | "git-upload-pack" | "git-receive-pack";
  method: "GET" | "POST";
  query: string;
  contentType: string | null;
  /** `Git-Protocol` request header (protocol v2), already validated. */
  gitProtocol: string | null;
  /** Shown to receive-pack as the pusher; its presence also enables receive-pack in http-backend. */
  remoteUser: string;
  /** The request body, decompressed; null for GET. */
  input: AsyncIterable<Uint8Array> | null;
  /**
   * Hold git's answer until the whole body has been read (receive-pack): a push that goes over a
   * limit part-way can then still be answered cleanly by `onInputError` instead of a cut stream.
   */
  holdOutputUntilInputEnds?: boolean;
  /** The body failed (too large, bad gzip): git is killed; the answer, when still possible. */
  onInputError?: (error: unknown) => Response;
  /**
   * Run once git has exited (whatever its code, and whether or not anyone still reads the
   * response: the push audit); the response, when still read, ends only after it.
   */
  onExit?: (code: number | null) => Promise<void>;
  /** Called exactly once when git's process is gone (the concurrency slot). */
  onClosed?: () => void;
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 15 * 60_000;
const MAX_CGI_HEADER_BYTES = 16 * 1024;

/**
 * Runs `git http-backend` (git's smart HTTP CGI) for one request: spawned with an argument array
 * and the app's fixed git environment, the body streamed into it, its CGI headers parsed
 * (`Status:`, `Content-Type:`…) and the rest streamed out. The repository path comes from the
 * caller's `origin` (database ids), never from the URL.
 */
export function runHttpBackend(req: HttpBackendRequest): Promise<Response> {
  const env = gitProcessEnv(
    // receive-pack runs in the origin: keep hooks off and refuse what the app never wants.
    // Partial clones (`--filter=blob:none`) for large repositories; pushes are checked for corrupt objects.
    { "uploadpack.allowFilter": "true", "receive.fsckObjects": "true" },
    {
      GIT_PROJECT_ROOT: path.dirname(req.origin),
      PATH_INFO: `/${path.basename(req.origin)}/${req.suffix}`,
      QUERY_STRING: req.query,
      REQUEST_METHOD: req.method,
      GIT_HTTP_EXPORT_ALL: "1",
      REMOTE_USER: req.remoteUser,
      REMOTE_ADDR: "127.0.0.1",
      GIT_HTTP_MAX_REQUEST_BUFFER: String(MAX_FETCH_REQUEST_BYTES),
      ...(req.contentType ? { CONTENT_TYPE: req.contentType } : {}),
      ...(req.gitProtocol ? { HTTP_GIT_PROTOCOL: req.gitProtocol } : {}),
    },
  );
  const { child, exited, stderr } = spawnGit(["http-backend"], {
    cwd: path.dirname(req.origin),
    env,
    timeoutMs: req.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  void exited.then(() => req.onClosed?.());
  // Independent of the response stream: a client that hangs up without reading git's report
  // must not skip the audit of refs git already updated.
  const afterExit: Promise<void> = exited.then(async (code) => {
    try {
      await req.onExit?.(code);
    } catch (error) {
      console.error("[git-http] after git exited", error);
    }
  });

  let inputError: unknown = null;
  let inputEnded = false;
  const inputDone: Promise<void> = (
    req.input
      ? pipeline(Readable.from(req.input), child.stdin).catch((error: unknown) => {
          // git closing its stdin early (EPIPE) is git's answer, not a body error.
          const code = (error as { code?: string }).code;
          if (code === "EPIPE" || code === "ERR_STREAM_PREMATURE_CLOSE") return;
          inputError = error;
          child.kill("SIGKILL");
        })
      : Promise.resolve().then(() => {
          child.stdin.end();
        })
  ).then(() => {
    inputEnded = !inputError;
  });

  return new Promise<Response>((resolve, reject) => {
    let head = Buffer.alloc(0);
    let headersDone = false;
    let settled = false;
    let controller: ReadableStreamDefaultController<Uint8Array> | null = null;
    let cancelled = false;
    const held: Buffer[] = [];

    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      child.kill("SIGKILL");
      reject(error);
    };

    const startResponse = (headerText: string, firstChunk: Buffer) => {
      let status = 200;
      const headers = new Headers();
      for (const line of headerText.split(/\r?\n/)) {
        const colon = line.indexOf(":");
        if (colon <= 0) continue;
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === "status") status = Number.parseInt(value, 10) || 500;
        else if (["content-type", "cache-control", "expires", "pragma"].includes(name))
          headers.set(name, value);
      }
      if (firstChunk.length) held.push(firstChunk);
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          controller = c;
          for (const chunk of held.splice(0)) c.enqueue(new Uint8Array(chunk));
          if (child.stdout.readableEnded) finish();
        },
        pull() {
          child.stdout.resume();
        },
        cancel() {
          cancelled = true;
          controller = null;
          // The whole push reached git: let it finish updating refs (and be audited) rather
          // than kill it half-way; its output is read and dropped. Before that, nothing changed.
          // A fetch nobody reads any more is stopped (its pack would only be thrown away).
          if (inputEnded && req.suffix === "git-receive-pack") child.stdout.resume();
          else child.kill("SIGKILL");
        },
      });
      settled = true;
      resolve(new Response(body, { status, headers }));
    };

    let headerText = "";
    let rest = Buffer.alloc(0);
    const release = async () => {
      if (req.holdOutputUntilInputEnds) {
        await inputDone;
        if (inputError && req.onInputError) {
          child.kill("SIGKILL");
          settled = true;
          resolve(req.onInputError(inputError));
          return;
        }
      }
      startResponse(headerText, rest);
    };

    let ended = false;
    const finish = async () => {
      if (!ended) return;
      const c = controller;
      if (!c || cancelled) return;
      controller = null;
      const code = await exited;
      await afterExit;
      if (cancelled) return;
      if (code === 0 && !inputError) {
        c.close();
      } else {
        c.error(
          new Error(`git http-backend exited with ${code}: ${redactGitText(stderr().trim()).slice(0, 500)}`),
        );
      }
    };

    child.stdout.on("data", (chunk: Buffer) => {
      if (!headersDone) {
        head = Buffer.concat([head, chunk]);
        const crlf = head.indexOf("\r\n\r\n");
        const lf = head.indexOf("\n\n");
        const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
        if (end < 0) {
          if (head.length > MAX_CGI_HEADER_BYTES) fail(new Error("git http-backend sent no headers"));
          return;
        }
        headersDone = true;
        headerText = head.subarray(0, end).toString("latin1");
        rest = head.subarray(end);
        void release();
        return;
      }
      if (cancelled) return;
      if (controller) {
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 1) <= 0) child.stdout.pause();
      } else held.push(chunk);
    });
    child.stdout.on("end", () => {
      ended = true;
      if (!headersDone) {
        void exited.then((code) => {
          if (inputError && req.onInputError && !settled) {
            settled = true;
            resolve(req.onInputError(inputError));
            return;
          }
          fail(
            new Error(
              `git http-backend exited with ${code}: ${redactGitText(stderr().trim()).slice(0, 500)}`,
            ),
          );
        });
        return;
      }
      void finish();
    });
  });
}
