import { z } from "zod";

/** Header names a server may be given; hop-by-hop and transport headers are the SDK's own. */
const RESERVED_HEADERS = new Set([
  "host",
  "content-length",
  "content-type",
  "accept",
  "connection",
  "transfer-encoding",
  "mcp-session-id",
  "mcp-protocol-version",
  "last-event-id",
]);
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

const headerRow = z.object({
  name: z
    .string()
    .trim()
    .regex(HEADER_NAME, "A header name has letters, digits and - only.")
    .refine((n) => !RESERVED_HEADERS.has(n.toLowerCase()), "This header is set by the MCP client itself."),
  /** Blank on update: keep the stored value of this header. */
  value: z
    .string()
    .max(4000, "At most 4000 characters.")
    .refine((v) => !/[\r\n]/.test(v), "A header value is one line."),
});

const headerList = z
  .array(headerRow)
  .max(20, "At most 20 headers.")
  .refine((rows) => new Set(rows.map((r) => r.name.toLowerCase())).size === rows.length, "Each header once.");
const headers = headerList.default([]);

const name = z
  .string()
  .trim()
  .min(1, "Give the server a name.")
  .max(60, "At most 60 characters.")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, "Letters, digits, spaces, dots, dashes and underscores.");

const url = z.string().trim().min(1, "Enter the server's URL.").max(2000, "At most 2000 characters.");

/** Forms send "on"/"true" for a checked box; client code sends booleans. */
const flag = z
  .union([z.boolean(), z.enum(["on", "true", "false", "1", "0"])])
  .transform((v) => (typeof v === "boolean" ? v : v === "on" || v === "true" || v === "1"));

export const createMcpServerInput = z.object({
  name,
  url,
  headers: headers.refine((rows) => rows.every((r) => r.value.length > 0), "Give every header a value."),
  enabled: flag.default(true),
});
export type CreateMcpServerInput = z.input<typeof createMcpServerInput>;

export const updateMcpServerInput = z.object({
  id: z.uuid("Unknown server."),
  name: name.optional(),
  url: url.optional(),
  /**
   * The full list of headers the server keeps: a row with a blank value keeps that header's stored
   * value; a stored header missing from the list is removed. Omitted: headers unchanged.
   */
  // No default here: zod 4 applies a default inside .optional(), which would turn "left out" into
  // "remove every header".
  headers: headerList.optional(),
  enabled: flag.optional(),
});
export type UpdateMcpServerInput = z.input<typeof updateMcpServerInput>;

export const mcpServerIdInput = z.object({ id: z.uuid("Unknown server.") });

export const setToolGrantsInput = z.object({
  serverId: z.uuid("Unknown server."),
  agentSlug: z.string().trim().min(1, "Choose an agent.").max(100),
  toolNames: z
    .array(z.string().min(1).max(200))
    .max(500)
    .transform((names) => [...new Set(names)]),
});
export type SetToolGrantsInput = z.input<typeof setToolGrantsInput>;

export type McpToolSummary = { name: string; title?: string; description?: string; inputSchema: unknown };

/** What leaves the server about a registered MCP server: header names, never their values. */
export type McpServerSummary = {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  headerNames: string[];
  tools: McpToolSummary[];
  toolsRefreshedAt: string | null;
  lastError: string | null;
  /** Tool name → agent slugs it is granted to. */
  grants: Record<string, string[]>;
  createdAt: string;
  updatedAt: string;
};
