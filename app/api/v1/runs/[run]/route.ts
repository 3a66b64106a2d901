import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { getRunView } from "@/lib/runs/run-view";

export const GET = v1Route(operations.getRun, async ({ ctx, params }) => getRunView(ctx, params.run ?? ""));
