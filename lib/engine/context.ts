import type { Db, Executor } from "@/db";
import type { CompiledExpression } from "./expression";
import type { EngineLogger, LogFields, LogLevel } from "./log";
import type { Registry } from "./registry";
import { afterCommit, type Write } from "./transaction";
import type { Transport } from "./transport";

export type EngineLimits = {
  /** Largest step output (and function return value), in bytes. Inngest: 4 MB. */
  stepOutputBytes: number;
  /** Largest event, in bytes. Inngest: 256 KB by default. */
  eventBytes: number;
};

export const DEFAULT_LIMITS: EngineLimits = { stepOutputBytes: 4 * 1024 * 1024, eventBytes: 256 * 1024 };

/** What the engine's parts share: one per engine, built by `createEngine`. */
export type EngineContext = {
  db: Db;
  write: Write;
  transport: Transport;
  signingKey: string;
  limits: EngineLimits;
  leaseMs: number;
  backoff: (attempt: number) => number;
  log: EngineLogger;
  registry(): Registry;
  /** Compiled `if` expressions of waits, by source. */
  waitIfCache: Map<string, CompiledExpression>;
  /** This process stored events (function.failed…): look for pending events soon. */
  emittedEvents(): void;
};

/** Logs once `ex` commits: a line never announces a change that was rolled back. */
export function logAfterCommit(ctx: EngineContext, ex: Executor, level: LogLevel, fields: LogFields) {
  afterCommit(ex, () => ctx.log(level, fields));
}
