import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { updateProjectContext } from "@/lib/projects/update-project-context";

export const PUT = v1Route(operations.updateProjectContext, async ({ ctx, params, body }) => ({
  project: await updateProjectContext(ctx, params.project ?? "", body),
}));
