import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { getArtifactVersion } from "@/lib/runs/run-artifacts";

export const GET = v1Route(operations.getArtifactVersion, async ({ ctx, params }) => ({
  artifact: await getArtifactVersion(ctx, params.artifactKey ?? "", params.version ?? ""),
}));
