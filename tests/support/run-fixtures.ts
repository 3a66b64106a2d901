import { randomUUID } from "node:crypto";
import { getDb } from "@/db";
import { projects, runs } from "@/db/schema";

/** Seeds a project and a run with the owner connection: fixtures, not the code under test. */
export async function createProjectRow(orgId: string, opts: { status?: "active" | "archived" } = {}) {
  const db = await getDb();
  const slug = `proj-${randomUUID().slice(0, 8)}`;
  const [row] = await db
    .insert(projects)
    .values({
      orgId,
      name: `Project ${slug}`,
      slug,
      brief: "Build a thing.",
      status: opts.status ?? "active",
    })
    .returning();
  if (!row) throw new Error("project not created");
  return row;
}

export async function createRunRow(
  orgId: string,
  projectId: string,
  values: Partial<typeof runs.$inferInsert> = {},
) {
  const db = await getDb();
  const [row] = await db
    .insert(runs)
    .values({
      orgId,
      projectId,
      goal: "Describe the architecture of the system.",
      templateSlug: "architecture-overview",
      tokenBudget: 200_000,
      ...values,
    })
    .returning();
  if (!row) throw new Error("run not created");
  return row;
}
