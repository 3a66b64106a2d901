import { orgRoute } from "@/lib/api/route";
import { deleteInsight } from "@/lib/knowledge/delete-insight";
import { updateInsightSchema } from "@/lib/knowledge/insight-schemas";
import { updateInsight } from "@/lib/knowledge/update-insight";

/** `{ title?, body?, tags? }` → `{ insight }`. */
export const PATCH = orgRoute(
  { permission: "knowledge.write", body: updateInsightSchema },
  async ({ ctx, params, body }) => ({ insight: await updateInsight(ctx, params.id ?? "", body) }),
);

export const DELETE = orgRoute({ permission: "knowledge.write" }, async ({ ctx, params }) => {
  await deleteInsight(ctx, params.id ?? "");
});
