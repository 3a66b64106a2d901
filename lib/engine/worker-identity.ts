import { createHash, randomBytes } from "node:crypto";
import os from "node:os";
import { sql } from "drizzle-orm";
import type { Db } from "@/db";
import { rows } from "./store";

/**
 * Who holds a claim. A claim reads `<worker>/<incarnation>.<batch>.<job>`: the worker id is stable
 * across restarts (host + app folder + PORT by default), the incarnation (`<pid>-<random>`) is new
 * for every engine start. A restarted process releases at once the claims of its own dead
 * predecessors — same worker id, a pid no longer alive on this host — instead of waiting out
 * their leases. Several processes may share a worker id (same folder, no PORT): an incarnation
 * whose pid is alive, or that is another engine of this very process, is never touched.
 */

/**
 * Engines started in this process and not stopped: same pid, so the pid check cannot tell. On
 * globalThis: Next loads a module once per bundle, and every copy must see the same set.
 */
const g = globalThis as unknown as { __dmEngineIncarnations?: Set<string> };
g.__dmEngineIncarnations ??= new Set<string>();
const liveHere = g.__dmEngineIncarnations;

/** A worker id for this process: stable across restarts of the same app on the same host and port. */
export function defaultWorkerId(port = ""): string {
  const host = os.hostname();
  const hash = createHash("sha256").update(`${host}\n${process.cwd()}\n${port}`).digest("hex").slice(0, 10);
  return `${sanitize(host).slice(0, 24)}-${hash}`;
}

/** Claims use `/` and `.` as separators. */
export const sanitize = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, "-");

export function startIncarnation(): { id: string; end(): void } {
  const id = `${process.pid}-${randomBytes(4).toString("hex")}`;
  liveHere.add(id);
  return { id, end: () => liveHere.delete(id) };
}

function isAlive(incarnation: string): boolean {
  if (liveHere.has(incarnation)) return true;
  const pid = Number(incarnation.split("-")[0]);
  // Our own pid under another incarnation: a predecessor that had this pid (containers reuse pid 1).
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Makes the jobs claimed by dead incarnations of `workerId` claimable now; returns how many. */
export async function releasePredecessorClaims(db: Db, workerId: string): Promise<number> {
  const holders = await rows<{ holder: string }>(
    db,
    sql`select distinct split_part(claim, '.', 1) as holder from engine_jobs
        where claim is not null and starts_with(claim, ${`${workerId}/`}) and lease_until > now()`,
  );
  const dead = holders.map((h) => h.holder).filter((h) => !isAlive(h.slice(workerId.length + 1)));
  if (!dead.length) return 0;
  const released = await rows(
    db,
    sql`update engine_jobs set lease_until = '-infinity'
        where claim is not null and split_part(claim, '.', 1) in (select jsonb_array_elements_text(${JSON.stringify(dead)}::jsonb))
        returning id`,
  );
  return released.length;
}
