import type { AgentCategory, AgentDefinition } from "../schema";
import { buildAgents } from "./build";
import { designAgents } from "./design";
import { discoveryAgents } from "./discovery";
import { knowledgeAgents } from "./knowledge";
import { operationsAgents } from "./operations";
import { orchestrationAgents } from "./orchestration";
import { qualityAgents } from "./quality";
import { specificationAgents } from "./specification";

/** The agent every run starts with: it writes the plan and the closing summary. */
export const ORCHESTRATOR_SLUG = "orchestrator";
/** The quality gate every task result passes through. */
export const REVIEWER_SLUG = "reviewer";

const BUILTIN_AGENTS: readonly AgentDefinition[] = Object.freeze(
  [
    ...orchestrationAgents,
    ...discoveryAgents,
    ...specificationAgents,
    ...designAgents,
    ...buildAgents,
    ...qualityAgents,
    ...operationsAgents,
    ...knowledgeAgents,
  ].map((agent) => Object.freeze(agent)),
);

const BY_SLUG = new Map(BUILTIN_AGENTS.map((agent) => [agent.slug, agent]));

/** All built-in agents, grouped by category in catalog order. */
export function listBuiltinAgents(filter: { category?: AgentCategory } = {}): readonly AgentDefinition[] {
  return filter.category ? BUILTIN_AGENTS.filter((a) => a.category === filter.category) : BUILTIN_AGENTS;
}

export function getBuiltinAgent(slug: string): AgentDefinition | undefined {
  return BY_SLUG.get(slug);
}

/** Agents the orchestrator may assign tasks to (itself and the reviewer gate excluded). */
export function listAssignableBuiltinAgents(): readonly AgentDefinition[] {
  return BUILTIN_AGENTS.filter((a) => a.slug !== ORCHESTRATOR_SLUG && a.slug !== REVIEWER_SLUG);
}
