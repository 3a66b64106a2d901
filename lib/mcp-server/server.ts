import "server-only";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { OrgContext } from "@/lib/orgs/context";
import { registerTools, type ToolCall } from "./define-tool";
import { MCP_TOOLS } from "./tools";

export const MCP_SERVER_NAME = "dafnckmachine";
export const MCP_SERVER_VERSION = "1.0.0";

const INSTRUCTIONS = `DafnckMachine runs an agent swarm on an organization's projects: a run turns a goal into a plan of tasks, each worked by an agent and checked by a reviewer.
Start with list_projects and get_project (its context holds the conventions to follow). To work a task assigned to an external worker: get_next_ready_task, then claim_task (it returns the agent's prompt, the role to take on, the task's context and the run branch), work in your checkout of the run branch and push to it, then complete_task with a summary and the commit; the reviewer and the project's checks gate it like any task. Record what you learn with add_insight, update_task_context or update_project_context. create_task, update_task, remove_task and reorder_tasks change a run's plan.
Every tool acts for the organization within the API key's scopes.`;

/**
 * A fresh MCP server for one request, acting as the API key's org context. Stateless: any app
 * process can answer any request, nothing is kept between them.
 */
export function createMcpServer(ctx: OrgContext, call: ToolCall): McpServer {
  const server = new McpServer(
    { name: MCP_SERVER_NAME, title: "DafnckMachine", version: MCP_SERVER_VERSION },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  registerTools(server, ctx, call, MCP_TOOLS);
  return server;
}
