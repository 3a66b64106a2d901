import { z } from "zod";
import { ARTIFACT_KINDS } from "./artifact-kinds";
import { AGENT_TOOL_NAMES } from "./tools";

export const AGENT_CATEGORIES = [
  "orchestration",
  "discovery",
  "specification",
  "design",
  "build",
  "quality",
  "operations",
  "knowledge",
] as const;

export type AgentCategory = (typeof AGENT_CATEGORIES)[number];

export const AGENT_CATEGORY_LABELS: Record<AgentCategory, string> = {
  orchestration: "Orchestration & planning",
  discovery: "Discovery & requirements",
  specification: "Specification & architecture",
  design: "Design & UX",
  build: "Build",
  quality: "Test, QA & security",
  operations: "Deploy & operations",
  knowledge: "Knowledge",
};

/** fast: cheap, quick models for routine work; standard: the default; deep: the strongest reasoning. */
export const MODEL_TIERS = ["fast", "standard", "deep"] as const;
export type ModelTier = (typeof MODEL_TIERS)[number];

export const AGENT_SLUG_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * An agent definition: the built-in catalog uses it, and so will organization-edited versions
 * (cloned or created agents), so every message is written for a person filling in a form.
 */
export const agentDefinitionSchema = z.object({
  slug: z
    .string()
    .trim()
    .min(2, "The slug needs at least 2 characters.")
    .max(64, "Keep the slug under 64 characters.")
    .regex(AGENT_SLUG_PATTERN, "Use lowercase letters, digits and single dashes, starting with a letter."),
  name: z.string().trim().min(2, "Give the agent a name.").max(80, "Keep the name under 80 characters."),
  category: z.enum(AGENT_CATEGORIES, { message: "Choose a category." }),
  whenToUse: z
    .string()
    .trim()
    .min(20, "Describe when to use this agent in at least a sentence.")
    .max(1000, "Keep “when to use” under 1000 characters."),
  systemPrompt: z
    .string()
    .trim()
    .min(200, "The system prompt is too short to guide the agent (at least 200 characters).")
    .max(30_000, "Keep the system prompt under 30,000 characters."),
  artifactKinds: z
    .array(z.enum(ARTIFACT_KINDS, { message: "Unknown artifact kind." }))
    .min(1, "Choose at least one artifact kind the agent produces.")
    .refine((kinds) => new Set(kinds).size === kinds.length, "Each artifact kind may appear only once."),
  tools: z
    .array(z.enum(AGENT_TOOL_NAMES, { message: "Unknown tool." }))
    .refine((tools) => new Set(tools).size === tools.length, "Each tool may appear only once."),
  modelTier: z.enum(MODEL_TIERS, { message: "Choose fast, standard or deep." }),
  /** A specific model for this agent; the organization's default for the tier when absent. */
  modelId: z.string().trim().min(1).max(200).optional(),
});

export type AgentDefinition = z.infer<typeof agentDefinitionSchema>;
