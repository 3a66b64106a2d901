import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { listRunsPage } from "@/lib/runs/list-runs-page";

export const GET = v1Route(operations.listRuns, async ({ ctx, query }) => listRunsPage(ctx, query));
