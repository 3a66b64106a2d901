/**
 * How the scripted demo model is named and recognised. Kept apart from demo-model.ts so client
 * components can label demo output without bundling the agent catalog and scripts.
 */
export const DEMO_MODEL_ID = "demo-scripted";
export const DEMO_MODEL_LABEL = "Demo model — scripted output, not AI";

export function isDemoModel(model: { modelId: string } | string): boolean {
  return (typeof model === "string" ? model : model.modelId) === DEMO_MODEL_ID;
}
