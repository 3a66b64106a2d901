import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { checks } from "@/db/schema";
import { resolveOrgContext } from "@/lib/orgs/context";
import type { RunEvent } from "@/lib/runs/events";
import { createTeam } from "@/tests/support/factories";
import { createProjectRow, createRunRow } from "@/tests/support/run-fixtures";
import { installStepHadNetwork, ranWithoutSandbox } from "./execution-notices";
import { readRunExecutionFacts } from "./read-run-execution";

const started = (over: Partial<Extract<RunEvent, { type: "command.started" }>> = {}): RunEvent => ({
  type: "command.started",
  execId: "e1",
  taskId: null,
  agentSlug: null,
  command: "npm test",
  purpose: "check",
  kind: "test",
  driver: "bubblewrap",
  network: false,
  ...over,
});
const unavailable: RunEvent = { type: "sandbox.unavailable", taskId: null, message: "no sandbox" };
const insight: RunEvent = { type: "insight", taskId: null, agentSlug: "dev", text: "hi" };

describe("ranWithoutSandbox", () => {
  it("is true when the feed has sandbox.unavailable, whatever else happened", () => {
    expect(ranWithoutSandbox([insight, unavailable])).toBe(true);
    expect(ranWithoutSandbox([started(), unavailable], { hostCanExecute: true })).toBe(true);
  });

  it("is true when a check was skipped for want of a sandbox (driver none)", () => {
    expect(ranWithoutSandbox([], { checks: [{ kind: "test", driver: "none", network: false }] })).toBe(true);
    expect(ranWithoutSandbox([], { checks: [{ kind: "test", driver: "bubblewrap", network: false }] })).toBe(
      false,
    );
  });

  it("is true on a host that cannot execute only for a run that never ran a command", () => {
    expect(ranWithoutSandbox([insight], { hostCanExecute: false })).toBe(true);
    expect(ranWithoutSandbox([insight, started()], { hostCanExecute: false })).toBe(false);
    expect(ranWithoutSandbox([started({ driver: "none" })], { hostCanExecute: false })).toBe(true);
  });

  it("is false for a run that executed normally, or an unknown host", () => {
    expect(ranWithoutSandbox([insight, started()])).toBe(false);
    expect(ranWithoutSandbox([insight], { hostCanExecute: true })).toBe(false);
    expect(ranWithoutSandbox([])).toBe(false);
  });
});

describe("installStepHadNetwork", () => {
  it("follows what happened: an install with network", () => {
    const events = [started({ kind: "install", command: "npm ci", network: true })];
    expect(installStepHadNetwork({ events, orgSetting: false, runStatus: "completed" })).toBe(true);
  });

  it("follows what happened: an install without network, though the setting is on now", () => {
    const events = [started({ kind: "install", command: "npm ci", network: false })];
    expect(installStepHadNetwork({ events, orgSetting: true, runStatus: "running" })).toBe(false);
  });

  it("reads install checks too, and ignores agents' own commands and other kinds", () => {
    const base = { events: [] as RunEvent[], orgSetting: false, runStatus: "completed" as const };
    expect(
      installStepHadNetwork({ ...base, checks: [{ kind: "install", driver: "bubblewrap", network: true }] }),
    ).toBe(true);
    expect(
      installStepHadNetwork({
        ...base,
        events: [
          started({ purpose: "command", kind: undefined, network: true }),
          started({ kind: "test", network: true }),
        ],
      }),
    ).toBe(false);
  });

  it("before any install, an unfinished run follows the setting; a finished one had none", () => {
    for (const runStatus of ["queued", "planning", "running", "waiting_approval"] as const) {
      expect(installStepHadNetwork({ events: [insight], orgSetting: true, runStatus })).toBe(true);
      expect(installStepHadNetwork({ events: [insight], orgSetting: false, runStatus })).toBe(false);
    }
    for (const runStatus of ["completed", "failed", "cancelled", "budget_exhausted"] as const) {
      expect(installStepHadNetwork({ events: [insight], orgSetting: true, runStatus })).toBe(false);
    }
  });
});

describe("readRunExecutionFacts", () => {
  it("returns the run's install checks and skipped checks, of this organization only", async () => {
    const t = await createTeam();
    const other = await createTeam();
    const project = await createProjectRow(t.org.id);
    const run = await createRunRow(t.org.id, project.id);
    const otherProject = await createProjectRow(other.org.id);
    const otherRun = await createRunRow(other.org.id, otherProject.id);
    const db = await getDb();
    const row = (orgId: string, projectId: string, runId: string, stepKey: string, over = {}) => ({
      orgId,
      projectId,
      runId,
      scope: "task" as const,
      branch: "dm/1-x",
      kind: "test" as const,
      command: "npm test",
      status: "passed" as const,
      driver: "bubblewrap" as const,
      stepKey,
      ...over,
    });
    await db
      .insert(checks)
      .values([
        row(t.org.id, project.id, run.id, "s1", { kind: "install", command: "npm ci", network: true }),
        row(t.org.id, project.id, run.id, "s1"),
        row(t.org.id, project.id, run.id, "s2", { status: "skipped", driver: "none" }),
        row(other.org.id, otherProject.id, otherRun.id, "s1", { kind: "install", network: false }),
      ]);
    const ctx = await resolveOrgContext(t.viewer, t.org.slug, "runs.read", { ip: null, userAgent: null });
    const facts = await readRunExecutionFacts(ctx, run.id);
    expect(facts.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { kind: "install", driver: "bubblewrap", network: true },
      { kind: "test", driver: "none", network: false },
    ]);
    expect(ranWithoutSandbox([], { checks: facts })).toBe(true);
    expect(
      installStepHadNetwork({ events: [], checks: facts, orgSetting: false, runStatus: "completed" }),
    ).toBe(true);
    // Another organization's run is not found through this organization.
    expect(await readRunExecutionFacts(ctx, otherRun.id)).toEqual([]);
  });
});
