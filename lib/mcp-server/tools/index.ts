import "server-only";
import type { McpTool } from "../define-tool";
import { getAgentPromptTool, listAgentsTool } from "./agents";
import { searchKnowledgeTool } from "./knowledge";
import {
  approveRunPlanTool,
  claimTaskTool,
  completeTaskTool,
  createTaskTool,
  removeTaskTool,
  reorderTasksTool,
  updateTaskContextTool,
  updateTaskTool,
} from "./plan";
import { getProjectTool, listProjectsTool, updateProjectContextTool } from "./projects";
import { getArtifactTool, getRunStatusTool, listRunArtifactsTool, listRunsTool, startRunTool } from "./runs";
import { addInsightTool, getNextReadyTaskTool, getTaskTool, listTasksTool } from "./tasks";

/** Every tool the MCP server offers, in the order clients list them. */
export const MCP_TOOLS = [
  listProjectsTool,
  getProjectTool,
  updateProjectContextTool,
  listAgentsTool,
  getAgentPromptTool,
  listRunsTool,
  startRunTool,
  getRunStatusTool,
  listRunArtifactsTool,
  getArtifactTool,
  listTasksTool,
  getTaskTool,
  getNextReadyTaskTool,
  createTaskTool,
  updateTaskTool,
  removeTaskTool,
  reorderTasksTool,
  approveRunPlanTool,
  updateTaskContextTool,
  claimTaskTool,
  completeTaskTool,
  addInsightTool,
  searchKnowledgeTool,
] as unknown as readonly McpTool[];
