import { describe, expect, it } from "vitest";
import { applyApprovalGates, findCycles, flattenPlan, type Plan, type PlanTask, validatePlan } from "./plan";

const AGENTS = ["product-manager", "system-architect", "coder", "test-writer"];

function t(key: string, agent: string, dependsOn: string[] = [], extra: Partial<PlanTask> = {}): PlanTask {
  return {
    key,
    title: `Do ${key}`,
    description: `Produce the ${key} deliverable.`,
    agent,
    dependsOn,
    priority: "medium",
    acceptanceCriteria: [`${key} is complete`],
    needsApproval: false,
    ...extra,
  };
}

const plan = (...phases: PlanTask[][]): Plan => ({
  summary: "A plan.",
  phases: phases.map((tasks, i) => ({ key: `phase-${i + 1}`, name: `Phase ${i + 1}`, tasks })),
});

function errorsOf(input: unknown) {
  const result = validatePlan(input, AGENTS);
  if (result.ok) throw new Error("expected the plan to be rejected");
  return result;
}

describe("validatePlan", () => {
  it("reads a plan a model answered in text: fenced, or inside prose", () => {
    const good = plan([t("prd", "product-manager")]);
    const fenced = `Here is the plan:\n\`\`\`json\n${JSON.stringify(good, null, 2)}\n\`\`\`\nAnything else?`;
    expect(validatePlan(fenced, AGENTS)).toEqual({ ok: true, plan: good });
    expect(validatePlan(`The plan: ${JSON.stringify(good)}`, AGENTS)).toEqual({ ok: true, plan: good });
  });

  it("asks for the JSON again when the answer is prose or cut off", () => {
    const prose = errorsOf("Sure! We will write the PRD first, then build it.");
    expect(prose.errors.map((e) => e.code)).toEqual(["not_json"]);
    expect(prose.feedback).toContain("Your answer was text, not the JSON plan");
    const cut = errorsOf(JSON.stringify(plan([t("prd", "product-manager")])).slice(0, 60));
    expect(cut.feedback).toContain("cut off before the JSON ended");
  });

  it("accepts a sound plan and returns it", () => {
    const good = plan(
      [t("prd", "product-manager")],
      [t("arch", "system-architect", ["prd"]), t("code", "coder", ["arch"])],
    );
    const result = validatePlan(good, AGENTS);
    expect(result).toEqual({ ok: true, plan: good });
  });

  it("rejects an empty plan", () => {
    const result = errorsOf({ summary: "", phases: [{ key: "a", name: "A", tasks: [] }] });
    expect(result.errors.map((e) => e.code)).toEqual(["empty_plan"]);
  });

  it("reports shape errors with their path", () => {
    const result = errorsOf({
      summary: "x",
      phases: [{ key: "a", name: "A", tasks: [{ key: "k", priority: "urgent" }] }],
    });
    expect(result.errors.every((e) => e.code === "invalid_shape")).toBe(true);
    expect(result.errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(["phases[0].tasks[0].title", "phases[0].tasks[0].priority"]),
    );
  });

  it("rejects unknown agents, naming the valid ones", () => {
    const result = errorsOf(plan([t("prd", "product-manager"), t("ads", "ad-copywriter")]));
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({
      code: "unknown_agent",
      taskKey: "ads",
      path: "phases[0].tasks[1].agent",
    });
    expect(result.errors[0]?.message).toContain('unknown agent "ad-copywriter"');
    expect(result.errors[0]?.message).toContain("coder, product-manager, system-architect, test-writer");
  });

  it("rejects dependencies on unknown tasks and on the task itself", () => {
    const result = errorsOf(plan([t("prd", "product-manager", ["research"]), t("code", "coder", ["code"])]));
    expect(result.errors.map((e) => [e.code, e.taskKey, e.path])).toEqual([
      ["unknown_dependency", "prd", "phases[0].tasks[0].dependsOn[0]"],
      ["self_dependency", "code", "phases[0].tasks[1].dependsOn[0]"],
    ]);
  });

  it("rejects duplicate keys once per key", () => {
    const result = errorsOf(
      plan([t("prd", "product-manager"), t("prd", "coder")], [t("prd", "test-writer")]),
    );
    expect(result.errors.filter((e) => e.code === "duplicate_key")).toHaveLength(1);
    expect(result.errors[0]?.message).toContain("used by 3 tasks");
  });

  it("reports a dependency cycle with its path", () => {
    const result = errorsOf(
      plan([t("a", "coder", ["c"]), t("b", "coder", ["a"]), t("c", "coder", ["b"]), t("d", "coder", ["a"])]),
    );
    const cycles = result.errors.filter((e) => e.code === "dependency_cycle");
    expect(cycles).toHaveLength(1);
    expect(cycles[0]?.cycle).toEqual(["a", "c", "b", "a"]);
    expect(cycles[0]?.message).toContain("a → c → b → a");
  });

  it("reports every independent cycle", () => {
    const result = errorsOf(
      plan([t("a", "coder", ["b"]), t("b", "coder", ["a"]), t("x", "coder", ["y"]), t("y", "coder", ["x"])]),
    );
    expect(result.errors.map((e) => e.cycle)).toEqual([
      ["a", "b", "a"],
      ["x", "y", "x"],
    ]);
  });

  it("requires acceptance criteria, kebab-case keys and non-empty titles", () => {
    const result = errorsOf(
      plan([t("Write PRD", "product-manager", [], { acceptanceCriteria: [" "], title: " " })]),
    );
    expect(result.errors.map((e) => e.code).sort()).toEqual([
      "empty_field",
      "invalid_key",
      "missing_acceptance_criteria",
    ]);
  });

  it("collects every problem at once into feedback the model can act on", () => {
    const result = errorsOf(plan([t("a", "ghost", ["b"]), t("b", "coder", ["a"]), t("c", "coder", ["zzz"])]));
    expect(result.errors.map((e) => e.code)).toEqual([
      "unknown_agent",
      "unknown_dependency",
      "dependency_cycle",
    ]);
    expect(result.feedback.split("\n")[0]).toContain("Your plan was rejected (3 problems)");
    expect(result.feedback).toContain("return the complete corrected plan");
    for (const error of result.errors) expect(result.feedback).toContain(error.message);
  });
});

describe("findCycles", () => {
  it("ignores unknown keys and finds nothing in a DAG", () => {
    expect(
      findCycles([
        { key: "a", dependsOn: ["b", "ghost"] },
        { key: "b", dependsOn: [] },
      ]),
    ).toEqual([]);
  });
});

describe("flattenPlan", () => {
  it("numbers tasks in plan order with their phase", () => {
    const flat = flattenPlan(plan([t("a", "coder")], [t("b", "coder"), t("c", "coder")]));
    expect(flat.map((f) => [f.key, f.phaseKey, f.order])).toEqual([
      ["a", "phase-1", 0],
      ["b", "phase-2", 1],
      ["c", "phase-2", 2],
    ]);
  });
});

describe("applyApprovalGates", () => {
  it("gates every task whose result leaves the gated phase", () => {
    const p = plan(
      [
        t("prd", "product-manager"),
        t("ux", "product-manager", ["prd"]),
        t("notes", "product-manager", ["prd"]),
      ],
      [t("arch", "system-architect", ["prd"]), t("code", "coder", ["ux", "arch"])],
    );
    const gated = applyApprovalGates(p, ["phase-1"]);
    const approval = Object.fromEntries(flattenPlan(gated).map((task) => [task.key, task.needsApproval]));
    // prd feeds arch (next phase), ux feeds code, notes feeds nothing: all leave the phase.
    expect(approval).toEqual({ prd: true, ux: true, notes: true, arch: false, code: false });
  });

  it("does not gate a task used only inside its phase", () => {
    const p = plan([t("draft", "coder"), t("final", "coder", ["draft"])], [t("next", "coder", ["final"])]);
    const approval = flattenPlan(applyApprovalGates(p, ["phase-1"])).map((task) => task.needsApproval);
    expect(approval).toEqual([false, true, false]);
  });
});
