import type { ClientOptions } from "inngest";
import { dbDriver, getDb } from "@/db";
import { engineMode, engineSigningKey, env, inngestSettings, isBuildPhase } from "@/lib/env";
import { createEngineApi, type EngineApi } from "./api";
import { DEFAULT_LIMITS } from "./context";
import { createEngine, type Engine } from "./engine";
import { jsonLogger } from "./log";
import { inProcessTransport, type ServeHandler } from "./transport";
import { defaultWorkerId } from "./worker-identity";

/**
 * How the app uses the engine: the Inngest client's options for the configured mode, and the one
 * engine per server process (on globalThis, because Next loads instrumentation, route handlers and
 * pages as separate module copies).
 */

/** Never resolves: the client's `fetch` below answers every request to it in process. */
export const EMBEDDED_BASE_URL = "http://embedded-engine.invalid/";

const g = globalThis as unknown as { __dmEngine?: Promise<Engine>; __dmEngineIngest?: Promise<EngineApi> };

/** The running engine's API, or (in a process without one, e.g. a script) one that only records events. */
async function processApi(): Promise<EngineApi> {
  if (g.__dmEngine) return (await g.__dmEngine).api;
  g.__dmEngineIngest ??= getDb().then((db) =>
    createEngineApi({
      db,
      signingKey: engineSigningKey(),
      limits: DEFAULT_LIMITS,
      log: jsonLogger(env().LOG_LEVEL),
      leaseMs: 30_000,
      onEvents: () => {},
    }),
  );
  return g.__dmEngineIngest;
}

/** A `fetch` for the Inngest client that hands Inngest API calls to an engine API in process. */
export function engineFetch(api: () => Promise<EngineApi> | EngineApi): typeof fetch {
  return async (input, init) => (await api())(new Request(input, init));
}

/**
 * Options for `new Inngest(...)`. Embedded: cloud mode (signatures checked) with a signing key only
 * this app knows, events and checkpoints routed to the engine in process. Inngest: the standard
 * settings from the environment, nothing else changes.
 */
export function inngestClientOptions(id: string): ClientOptions {
  if (engineMode() === "inngest") return { id, ...inngestSettings() };
  return {
    id,
    isDev: false,
    eventKey: "embedded",
    baseUrl: EMBEDDED_BASE_URL,
    fetch: engineFetch(processApi),
    // A getter: the key may be generated on first use, which must not happen at import (next build).
    get signingKey() {
      return engineSigningKey();
    },
  };
}

/** The engine running in this process, if any. */
export function runningEngine(): Promise<Engine> | undefined {
  return g.__dmEngine;
}

/** Starts the embedded engine once per process, driving `handler` (the app's serve handler). */
export function startEmbeddedEngine(handler: ServeHandler): Promise<Engine> {
  if (isBuildPhase()) throw new Error("The engine must not start during `next build`.");
  g.__dmEngine ??= (async () => {
    const db = await getDb();
    const pglite = (await dbDriver()) === "pglite";
    const engine = createEngine({
      db,
      transport: inProcessTransport(handler),
      signingKey: engineSigningKey(),
      // One process per PGlite folder: whatever a killed process had claimed resumes immediately.
      releaseClaimsOnStart: pglite,
      asyncCommit: !pglite,
      workerId: env().ENGINE_WORKER_ID ?? defaultWorkerId(env().PORT),
      // Only this process can write a PGlite folder and it wakes the engine itself: poll rarely.
      pollMs: pglite ? 2000 : 250,
      logger: jsonLogger(env().LOG_LEVEL),
    });
    await engine.start();
    return engine;
  })().catch((error) => {
    g.__dmEngine = undefined;
    throw error;
  });
  return g.__dmEngine;
}

/** Stops this process's engine (in-flight calls finish first) and forgets it. */
export async function stopEmbeddedEngine(): Promise<void> {
  const running = g.__dmEngine;
  g.__dmEngine = undefined;
  await (await running?.catch(() => undefined))?.stop();
}
