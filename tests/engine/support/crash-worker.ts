/**
 * A child process for the SIGKILL test (tests/engine/crash.test.ts): serves a few functions whose
 * every step appends "<run> <step> <execution id>" to EFFECTS_FILE before returning that id, and
 * runs the engine until it is killed. With SEED=n it first sends n events; with REPORT set it exits
 * once every run has finished, writing the runs and stored steps there as JSON.
 */

import { randomUUID } from "node:crypto";
import { appendFileSync, writeFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { dbDriver, getDb } from "@/db";
import { rows } from "@/lib/engine/store";
import { createTestApp } from "@/tests/engine/support/harness";

const effectsFile = process.env.EFFECTS_FILE as string;
// A stable id: function ids (and so the runs a restarted process resumes) derive from it.
const app = createTestApp("crash");
const client = app.client;

async function effect(runId: string, step: string) {
  const id = randomUUID();
  // Some work before the side effect and after it, so kills land inside steps too.
  await new Promise((r) => setTimeout(r, Math.random() * 15));
  appendFileSync(effectsFile, `${runId} ${step} ${id}\n`);
  await new Promise((r) => setTimeout(r, Math.random() * 15));
  return { id, at: Date.now() };
}

const crashy = client.createFunction(
  { id: "crashy", retries: 20, triggers: [{ event: "crash/start" }] },
  async ({ step, runId }) => {
    const out = [];
    for (let i = 0; i < 4; i++) out.push(await step.run(`s${i}`, () => effect(runId, `s${i}`)));
    await step.sleep("nap", "1s");
    const waited = await step.waitForEvent("never", { event: "crash/never", timeout: "2s" });
    out.push(...(await Promise.all([0, 1, 2].map((i) => step.run(`p${i}`, () => effect(runId, `p${i}`))))));
    out.push(await step.run("last", () => effect(runId, "last")));
    return { steps: out.length, waited };
  },
);

async function main() {
  const db = await getDb();
  const pglite = (await dbDriver()) === "pglite";
  const { engine } = await app.start([crashy], {
    pollMs: 50,
    leaseMs: 1000,
    // The engine's own backoff, not the harness's quick one.
    retryBackoffMs: undefined,
    releaseClaimsOnStart: pglite,
    asyncCommit: !pglite,
  });
  const seed = Number(process.env.SEED ?? 0);
  if (seed) await engine.send(Array.from({ length: seed }, (_, i) => ({ name: "crash/start", data: { i } })));
  process.stdout.write("ready\n");
  const report = process.env.REPORT;
  if (!report) return;
  for (;;) {
    const [open] = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from engine_runs where function_id = 'crash-crashy' and status in ('queued', 'running')`,
    );
    if (open?.n === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await engine.stop();
  const runs = await rows(
    db,
    sql`select id, status, output, error from engine_runs where function_id = 'crash-crashy'`,
  );
  const steps = await rows(
    db,
    sql`select s.run_id, s.step_id, s.status, s.output from engine_steps s join engine_runs r on r.id = s.run_id
        where r.function_id = 'crash-crashy'`,
  );
  writeFileSync(report, JSON.stringify({ runs, steps }));
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
