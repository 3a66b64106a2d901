import { orgRoute } from "@/lib/api/route";
import { addInsight } from "@/lib/knowledge/add-insight";
import { addInsightSchema, listInsightsQuerySchema } from "@/lib/knowledge/insight-schemas";
import { listInsights } from "@/lib/knowledge/list-insights";

/** `?project=<slug>`: that project's insights; without it, the organization's own. */
export const GET = orgRoute(
  { permission: "knowledge.read", query: listInsightsQuerySchema },
  async ({ ctx, query }) => ({ insights: await listInsights(ctx, query) }),
);

/** `{ project?, title, body, tags? }` → 201 `{ insight }`. */
export const POST = orgRoute(
  { permission: "knowledge.write", body: addInsightSchema },
  async ({ ctx, body }) => Response.json({ insight: await addInsight(ctx, body) }, { status: 201 }),
);
