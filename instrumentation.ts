/**
 * Runs once per server process (never during `next build`). The Node-only part lives behind the
 * NEXT_RUNTIME check: Next inlines that variable at build time, so the Edge bundle of this file
 * drops the import entirely (which is why it is read here rather than through lib/env).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("./instrumentation-node");
    startServer();
  }
}
