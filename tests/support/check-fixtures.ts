import { randomUUID } from "node:crypto";
import { getDb } from "@/db";
import { checks } from "@/db/schema";

/** Seeds a check row with the owner connection: a fixture, not the code under test. */
export async function createCheckRow(
  values: Pick<typeof checks.$inferInsert, "orgId" | "projectId"> & Partial<typeof checks.$inferInsert>,
) {
  const db = await getDb();
  const [row] = await db
    .insert(checks)
    .values({
      scope: "task",
      branch: "dm/1-thing",
      kind: "test",
      command: "node --test",
      status: "passed",
      exitCode: 0,
      durationMs: 250,
      counts: { format: "tap", passed: 2, failed: 0, skipped: 0, total: 2 },
      log: "TAP version 13\nok 1 - adds\nok 2 - subtracts\n# pass 2\n# fail 0\n",
      outputBytes: 60,
      driver: "bubblewrap",
      stepKey: `step-${randomUUID()}`,
      ...values,
    })
    .returning();
  if (!row) throw new Error("check not created");
  return row;
}
