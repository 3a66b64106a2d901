import { describe, expect, it } from "vitest";
import type { RunDetail, RunTaskInfo } from "@/lib/runs/queries";
import { nextReadyTask, readyTasks, runStatus } from "./present";

let n = 0;
function task(key: string, over: Partial<RunTaskInfo> = {}): RunTaskInfo {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    runId: "run",
    key,
    phaseKey: "build",
    title: key,
    description: "",
    agentSlug: "coder",
    priority: "medium",
    status: "todo",
    statusReason: null,
    dependsOn: [],
    acceptanceCriteria: [],
    needsApproval: false,
    attempts: 0,
    position: n,
    parentTaskId: null,
    commitSha: null,
    worker: "agent",
    context: "",
    claimedByApiKeyId: null,
    claimedAt: null,
    externalCommit: null,
    externalSummary: null,
    startedAt: null,
    finishedAt: null,
    ...over,
  };
}

function detail(tasks: RunTaskInfo[], id = "run-1"): RunDetail {
  return {
    run: { id, templateSlug: "feature-build", inputTokens: 0, outputTokens: 0, tokenBudget: 1, costUsd: 0 },
    project: { id: "p", slug: "p", name: "P" },
    tasks,
    approvals: [],
    artifacts: [],
  } as unknown as RunDetail;
}

describe("ready tasks", () => {
  it("are unclaimed, waiting for a worker or todo with every dependency done (a missing one blocks)", () => {
    const d = detail([
      task("a", { status: "done" }),
      task("b", { dependsOn: ["a"] }),
      task("c", { dependsOn: ["b"] }),
      task("d", { dependsOn: ["a"], claimedAt: new Date() }),
      task("e", { dependsOn: ["zzz"] }),
      task("f", { status: "in_progress" }),
      task("g", { status: "waiting_worker", worker: "external", dependsOn: ["a"] }),
      task("h", { status: "waiting_worker", worker: "external", claimedAt: new Date() }),
    ]);
    expect(readyTasks(d).map((t) => t.key)).toEqual(["b", "g"]);
    // The claimant's own claim is its to continue until it hands it in.
    const mine = detail([
      task("m", {
        status: "waiting_worker",
        worker: "external",
        claimedAt: new Date(),
        claimedByApiKeyId: "k1",
      }),
      task("n", {
        status: "waiting_worker",
        worker: "external",
        claimedAt: new Date(),
        claimedByApiKeyId: "k1",
        externalSummary: "done",
      }),
      task("o", { status: "waiting_worker", worker: "external" }),
    ]);
    expect(readyTasks(mine, "k1").map((t) => t.key)).toEqual(["m", "o"]);
    expect(readyTasks(mine, "k2").map((t) => t.key)).toEqual(["o"]);
    expect(nextReadyTask([mine], { claimant: "k1" })?.task.key).toBe("m");
  });

  it("put tasks waiting for a worker first, then external ones, then priority, plan order, older runs", () => {
    const older = detail(
      [task("x", { priority: "critical" }), task("y", { worker: "external", priority: "low" })],
      "old",
    );
    const newer = detail([task("z", { worker: "external", priority: "high" })], "new");
    expect(nextReadyTask([older, newer])?.task.key).toBe("z");
    expect(nextReadyTask([older])?.task.key).toBe("y");
    expect(nextReadyTask([detail([task("p"), task("q", { priority: "high" })])])?.task.key).toBe("q");
    expect(nextReadyTask([detail([task("p"), task("q")])])?.task.key).toBe("p");
    expect(nextReadyTask([detail([task("p")])], { externalOnly: true })).toBeNull();
    expect(nextReadyTask([])).toBeNull();
    const waiting = detail(
      [task("w", { worker: "external", status: "waiting_worker", priority: "low" })],
      "w",
    );
    expect(nextReadyTask([older, newer, waiting])?.task.key).toBe("w");
  });
});

describe("runStatus", () => {
  it("names the phase of the first open task and counts tasks by status", () => {
    const s = runStatus(
      detail([
        task("a", { status: "done", phaseKey: "specify" }),
        task("b", { status: "cancelled", phaseKey: "specify" }),
        task("c", { phaseKey: "verify", worker: "external", status: "waiting_worker" }),
        task("d", {
          phaseKey: "verify",
          worker: "external",
          status: "waiting_worker",
          claimedAt: new Date(),
        }),
      ]),
    );
    expect(s.phase).toEqual({ key: "verify", name: "Verify" });
    expect(s.tasks).toEqual({
      total: 3,
      done: 1,
      byStatus: { done: 1, cancelled: 1, waiting_worker: 2 },
      waitingForWorker: 1,
      claimedByWorker: 1,
    });
  });
});
