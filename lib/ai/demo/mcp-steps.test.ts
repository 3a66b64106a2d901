import { describe, expect, it } from "vitest";
import { scriptedArguments, withMcpCalls } from "./mcp-steps";
import type { ScriptPart } from "./script";

const schema = {
  type: "object",
  properties: {
    ticketId: { type: "string" },
    limit: { type: "integer", minimum: 5 },
    mode: { type: "string", enum: ["fast", "full"] },
    verbose: { type: "boolean" },
    note: { type: "string" },
  },
  required: ["ticketId", "limit", "mode", "verbose"],
};

describe("the demo model's MCP tool calls", () => {
  it("makes arguments from the required fields of the input schema", () => {
    expect(scriptedArguments(schema, "Task")).toEqual({
      ticketId: "Task",
      limit: 5,
      mode: "fast",
      verbose: true,
    });
    expect(scriptedArguments(undefined, "Task")).toEqual({});
  });

  it("adds each offered MCP tool once, only to a response that already calls tools", () => {
    const write: ScriptPart = { type: "tool-call", toolName: "write_artifact", input: {} };
    const offered = [
      { name: "mcp__T__lookup", inputSchema: schema },
      { name: "read_artifact", inputSchema: {} },
    ];
    const parts = withMcpCalls([write], offered, [], "Task");
    expect(parts.map((p) => (p.type === "tool-call" ? p.toolName : p.type))).toEqual([
      "write_artifact",
      "mcp__T__lookup",
    ]);
    expect(withMcpCalls([write], offered, ["mcp__T__lookup"], "Task")).toEqual([write]);
    const text: ScriptPart = { type: "text", text: "done" };
    expect(withMcpCalls([text], offered, [], "Task")).toEqual([text]);
  });
});
