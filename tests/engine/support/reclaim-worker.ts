/**
 * A child process for tests/engine/reclaim.test.ts. Serves one function whose step "hold" blocks
 * forever the first time it runs (after appending "hold" to EFFECTS_FILE), so the test can SIGKILL
 * the process mid-step; later executions return at once. Leases are 10 minutes: work left by a
 * killed process resumes early only if a restarted one reclaims it. WORKER_ID is the stable id.
 * With SEED it first sends one event; with REPORT it exits once the run has finished.
 */

import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { dbDriver, getDb } from "@/db";
import { rows } from "@/lib/engine/store";
import { createTestApp } from "@/tests/engine/support/harness";

const effectsFile = process.env.EFFECTS_FILE as string;
// A stable id: function ids (and so the runs a restarted process resumes) derive from it.
const app = createTestApp("reclaim");
const client = app.client;

const holder = client.createFunction(
  { id: "holder", triggers: [{ event: "reclaim/start" }] },
  async ({ step }) => {
    await step.run("hold", async () => {
      const first = !existsSync(effectsFile) || !readFileSync(effectsFile, "utf8").includes("hold");
      appendFileSync(effectsFile, `hold ${process.pid}\n`);
      if (first) await new Promise(() => {});
      return "held";
    });
    await step.run("after", () => {
      appendFileSync(effectsFile, `after ${process.pid}\n`);
      return "after";
    });
    return "done";
  },
);

async function main() {
  const db = await getDb();
  const pglite = (await dbDriver()) === "pglite";
  const { engine } = await app.start([holder], {
    pollMs: 50,
    leaseMs: 10 * 60_000,
    retryBackoffMs: undefined,
    workerId: process.env.WORKER_ID,
    releaseClaimsOnStart: pglite,
    asyncCommit: !pglite,
    logger: (level, fields) => {
      if (fields.msg === "engine.started") process.stdout.write(`${JSON.stringify(fields)}\n`);
      if (level === "error") process.stderr.write(`${JSON.stringify(fields)}\n`);
    },
  });
  if (process.env.SEED) await engine.send([{ name: "reclaim/start", data: {} }]);
  process.stdout.write("ready\n");
  if (!process.env.REPORT) return;
  for (;;) {
    const [run] = await rows<{ status: string }>(
      db,
      sql`select status from engine_runs where function_id = 'reclaim-holder'`,
    );
    if (run && run.status !== "queued" && run.status !== "running") break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await engine.stop();
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
