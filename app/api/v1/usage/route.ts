import { operations } from "@/lib/api/v1/operations";
import { v1Route } from "@/lib/api/v1/route";
import { getUsageByPeriod } from "@/lib/usage/usage-by-period";

export const GET = v1Route(operations.getUsage, async ({ ctx, query }) => getUsageByPeriod(ctx, query));
