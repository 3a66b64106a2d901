import { serve } from "inngest/next";
import { functions } from "@/inngest";
import { inngest } from "@/inngest/client";
import { startEmbeddedEngine } from "@/lib/engine/embedded";
import { assertStartupEnv, engineMode } from "@/lib/env";
import { startWebhookAnnouncer } from "@/lib/webhooks/announce";

/**
 * Server start (Node runtime): fail fast on bad configuration, then start the embedded engine in
 * the background unless Inngest runs the functions. The engine drives the same serve handler that
 * /api/inngest exports, in process.
 */
export function startServer() {
  try {
    assertStartupEnv();
  } catch (error) {
    // A misconfigured deployment stops here, with the reason, rather than serving errors.
    console.error(`[startup] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  // Announces committed webhook deliveries (LISTEN); run steps emit them in this process either way.
  void startWebhookAnnouncer();
  if (engineMode() !== "embedded") return;
  const handler = serve({ client: inngest, functions });
  startEmbeddedEngine((req) => handler(req as never, undefined)).catch((error: unknown) => {
    console.error(
      JSON.stringify({
        time: new Date().toISOString(),
        level: "error",
        component: "engine",
        msg: "engine.start_failed",
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      }),
    );
  });
}
