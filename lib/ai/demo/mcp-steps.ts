import type { ScriptPart } from "./script";

/**
 * The demo model and external MCP tools (lib/mcp-client): when a task's agent is offered tools
 * named `mcp__…` (granted by an admin), its scripted first tool step also calls each of them once,
 * with arguments made up from the tool's input schema (its required fields only: a string field
 * gets the task's title, a number its minimum or 1, a boolean true, an enum its first value). It is
 * plainly scripted: enough to show a granted tool being called, its result in the feed, and a
 * failing server answering an error the run goes on from.
 */
export type OfferedTool = { name: string; inputSchema: unknown };

const MCP_PREFIX = "mcp__";

type Property = { type?: unknown; enum?: unknown[]; minimum?: number; default?: unknown };

function valueFor(property: Property, text: string): unknown {
  if (property.default !== undefined) return property.default;
  if (Array.isArray(property.enum) && property.enum.length) return property.enum[0];
  const type = Array.isArray(property.type) ? property.type[0] : property.type;
  switch (type) {
    case "number":
    case "integer":
      return typeof property.minimum === "number" ? property.minimum : 1;
    case "boolean":
      return true;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return text;
  }
}

/** Arguments for a tool from its JSON schema's required fields. */
export function scriptedArguments(schema: unknown, text: string): Record<string, unknown> {
  const s = (schema ?? {}) as { properties?: Record<string, Property>; required?: unknown };
  const required = Array.isArray(s.required)
    ? s.required.filter((r): r is string => typeof r === "string")
    : [];
  return Object.fromEntries(required.map((key) => [key, valueFor(s.properties?.[key] ?? {}, text)]));
}

/**
 * Adds the calls of offered MCP tools not yet called in this conversation to a response that
 * already calls tools (so they ride along with the first tool step and cost no extra model call).
 */
export function withMcpCalls(
  parts: ScriptPart[],
  offered: readonly OfferedTool[],
  called: readonly string[],
  text: string,
): ScriptPart[] {
  if (!parts.some((p) => p.type === "tool-call")) return parts;
  const pending = offered.filter((t) => t.name.startsWith(MCP_PREFIX) && !called.includes(t.name));
  if (!pending.length) return parts;
  return [
    ...parts,
    ...pending.map(
      (t): ScriptPart => ({
        type: "tool-call",
        toolName: t.name,
        input: scriptedArguments(t.inputSchema, text),
      }),
    ),
  ];
}
