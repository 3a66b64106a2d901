import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { listRunArtifacts } from "@/lib/runs/run-artifacts";

export const GET = v1Route(operations.listRunArtifacts, async ({ ctx, params }) => ({
  data: await listRunArtifacts(ctx, params.run ?? ""),
}));
