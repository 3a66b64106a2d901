import { describe, expect, it } from "vitest";
import { ARCHITECTURE_OVERVIEW_SECTIONS } from "@/lib/agents/artifact-kinds";
import { listAssignableBuiltinAgents } from "@/lib/agents/catalog";
import { flattenPlan, validatePlan } from "./plan";
import { applyTemplateGates, getRunTemplate, listRunTemplates, RUN_TEMPLATE_SLUGS } from "./templates";

const assignable = listAssignableBuiltinAgents().map((a) => a.slug);

describe("run templates", () => {
  it("has the four templates", () => {
    expect(listRunTemplates().map((t) => t.name)).toEqual([
      "Full delivery",
      "Technical architecture overview",
      "Product requirements",
      "Feature build",
    ]);
    expect(getRunTemplate("nope")).toBeUndefined();
  });

  for (const slug of RUN_TEMPLATE_SLUGS) {
    describe(slug, () => {
      const template = getRunTemplate(slug);
      if (!template) throw new Error(slug);

      it("has a reference plan that passes validation with the built-in agents", () => {
        const result = validatePlan(template.referencePlan, assignable);
        expect(result.ok ? [] : result.errors).toEqual([]);
      });

      it("uses its phases in order, and gates only its gated phases", () => {
        expect(template.referencePlan.phases.map((p) => p.key)).toEqual(template.phases.map((p) => p.key));
        const gated = new Set(template.approvalGates.map((g) => g.phase));
        for (const gate of template.approvalGates)
          expect(template.phases.map((p) => p.key)).toContain(gate.phase);
        for (const task of flattenPlan(template.referencePlan)) {
          if (!gated.has(task.phaseKey)) expect(task.needsApproval, task.key).toBe(false);
        }
        for (const phase of gated) {
          expect(
            flattenPlan(template.referencePlan).some((t) => t.phaseKey === phase && t.needsApproval),
          ).toBe(true);
        }
      });

      it("tells the orchestrator the phase keys to use", () => {
        for (const phase of template.phases) expect(template.orchestratorGuidance).toContain(phase.key);
        expect(template.description.length).toBeGreaterThan(60);
      });
    });
  }

  it("runs full delivery through its six phases in order", () => {
    expect(getRunTemplate("full-delivery")?.phases.map((p) => p.name)).toEqual([
      "Discovery",
      "Product definition",
      "Architecture",
      "Build",
      "QA",
      "Deployment plan",
    ]);
  });

  it("has the system architect fill the fifteen sections of the architecture overview", () => {
    const template = getRunTemplate("technical-architecture-overview");
    const overview = flattenPlan(template?.referencePlan ?? { summary: "", phases: [] }).find(
      (t) => t.key === "architecture-overview",
    );
    expect(overview).toMatchObject({ agent: "system-architect", needsApproval: true, priority: "critical" });
    for (const section of ARCHITECTURE_OVERVIEW_SECTIONS) {
      expect(template?.orchestratorGuidance).toContain(section);
      expect(overview?.acceptanceCriteria.join(" ")).toContain(section);
    }
    expect(template?.primaryArtifactKind).toBe("architecture_overview");
  });

  it("re-applies a template's gates to a plan the model wrote without them", () => {
    const template = getRunTemplate("product-requirements");
    if (!template) throw new Error("missing template");
    const modelPlan = {
      ...template.referencePlan,
      phases: template.referencePlan.phases.map((p) => ({
        ...p,
        tasks: p.tasks.map((t) => ({ ...t, needsApproval: false })),
      })),
    };
    const gated = flattenPlan(applyTemplateGates(modelPlan, template)).filter((t) => t.needsApproval);
    expect(gated.map((t) => t.key)).toEqual(["prd"]);
  });
});
