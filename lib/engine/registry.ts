import { type CronSchedule, parseCron } from "./cron";
import { type CompiledExpression, compileExpression } from "./expression";
import { parseDuration } from "./time";
import { syncRequest, type Transport } from "./transport";

/** Inngest's default: four retries after the first attempt. */
export const DEFAULT_RETRIES = 4;

export type EngineFunction = {
  id: string;
  name: string;
  triggers: { event: string; matchesName: (name: string) => boolean; if?: CompiledExpression }[];
  crons: CronSchedule[];
  maxAttempts: number;
  concurrency: { limit: number; key?: CompiledExpression; scope: string }[];
  cancelOn: { event: string; if?: CompiledExpression; timeoutMs?: number }[];
};

export type Registry = {
  appId: string;
  functions: Map<string, EngineFunction>;
};

export class RegistrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegistrationError";
  }
}

type FunctionConfig = {
  id: string;
  name?: string;
  triggers?: ({ event: string; expression?: string } | { cron: string; jitter?: string })[];
  steps?: Record<string, { retries?: { attempts?: number } }>;
  concurrency?: number | ConcurrencyConfig | ConcurrencyConfig[];
  cancel?: { event: string; if?: string; timeout?: string }[];
  [option: string]: unknown;
};
type ConcurrencyConfig = { limit: number; key?: string; scope?: string };

/** Options the embedded engine does not implement: registering a function that uses one fails. */
const UNSUPPORTED = [
  "idempotency",
  "batchEvents",
  "rateLimit",
  "throttle",
  "debounce",
  "priority",
  "timeouts",
  "singleton",
] as const;

function eventNameMatcher(pattern: string): (name: string) => boolean {
  if (!pattern.includes("*")) return (name) => name === pattern;
  const re = new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`);
  return (name) => re.test(name);
}

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compileFor(fnId: string, what: string, source: string, variables: string[]): CompiledExpression {
  try {
    return compileExpression(source, variables);
  } catch (error) {
    throw new RegistrationError(`Function "${fnId}" ${what}: ${(error as Error).message}`);
  }
}

export function compileFunction(config: FunctionConfig): EngineFunction {
  const id = config.id;
  for (const option of UNSUPPORTED) {
    if (config[option] !== undefined && config[option] !== null) {
      throw new RegistrationError(
        `Function "${id}" uses \`${option}\`, which the embedded engine does not support. ` +
          "Remove it, or run on Inngest (ENGINE=inngest) where it is supported.",
      );
    }
  }
  const triggers: EngineFunction["triggers"] = [];
  const crons: CronSchedule[] = [];
  for (const trigger of config.triggers ?? []) {
    if ("cron" in trigger) {
      if (trigger.jitter) throw new RegistrationError(`Function "${id}": cron jitter is not supported.`);
      try {
        crons.push(parseCron(trigger.cron));
      } catch (error) {
        throw new RegistrationError(`Function "${id}": ${(error as Error).message}`);
      }
    } else {
      triggers.push({
        event: trigger.event,
        matchesName: eventNameMatcher(trigger.event),
        if: trigger.expression
          ? compileFor(id, `trigger "${trigger.event}"`, trigger.expression, ["event"])
          : undefined,
      });
    }
  }
  const retries = config.steps?.step?.retries?.attempts ?? DEFAULT_RETRIES;
  const rawConcurrency =
    config.concurrency === undefined
      ? []
      : typeof config.concurrency === "number"
        ? [{ limit: config.concurrency }]
        : Array.isArray(config.concurrency)
          ? config.concurrency
          : [config.concurrency];
  const concurrency = rawConcurrency
    .filter((c) => c.limit > 0)
    .map((c) => ({
      limit: c.limit,
      scope: c.scope ?? "fn",
      key: c.key ? compileFor(id, "concurrency key", c.key, ["event"]) : undefined,
    }));
  const cancelOn = (config.cancel ?? []).map((c) => {
    const timeoutMs = c.timeout === undefined ? undefined : parseDuration(c.timeout);
    if (c.timeout !== undefined && timeoutMs === undefined) {
      throw new RegistrationError(
        `Function "${id}": cancelOn timeout ${JSON.stringify(c.timeout)} is not a duration.`,
      );
    }
    return {
      event: c.event,
      if: c.if ? compileFor(id, `cancelOn "${c.event}"`, c.if, ["event", "async"]) : undefined,
      timeoutMs,
    };
  });
  return { id, name: config.name ?? id, triggers, crons, maxAttempts: retries + 1, concurrency, cancelOn };
}

/**
 * Learns the app's functions the way Inngest does, through the serve handler (an in-band sync),
 * and compiles every expression and schedule so a mistake fails here rather than at run time.
 */
export async function syncRegistry(transport: Transport, signingKey: string): Promise<Registry> {
  const res = await transport.send(syncRequest(transport, signingKey));
  const text = await res.text();
  if (!res.ok)
    throw new RegistrationError(`The serve handler refused to sync (${res.status}): ${text.slice(0, 500)}`);
  const body = JSON.parse(text) as { app_id: string; functions: FunctionConfig[] };
  const functions = new Map<string, EngineFunction>();
  for (const config of body.functions) functions.set(config.id, compileFunction(config));
  return { appId: body.app_id, functions };
}
