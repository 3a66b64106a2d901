/**
 * Bounds of every connection to an org's MCP server. Mutable only so tests can shorten them; the
 * app never changes them.
 */
export const MCP_LIMITS = {
  /** Connecting (initialize) and listing the tools, together. */
  connectTimeoutMs: 10_000,
  /** One tool call, after connecting. */
  callTimeoutMs: 30_000,
  /** A tool's result text given to the model is cut here. */
  maxResultChars: 20_000,
  /** Pages of tools/list followed at a refresh. */
  maxToolPages: 10,
  /** Tools kept from one server. */
  maxTools: 200,
  /** Largest HTTP response body accepted from the server. */
  maxBytes: 2 * 1024 * 1024,
};
