import { openApiDocument } from "@/lib/api/v1/openapi";
import { v1PublicRoute } from "@/lib/api/v1/route";

/** The OpenAPI 3.1 document of /api/v1: public, no key. */
export const GET = v1PublicRoute(async () =>
  Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } }),
);
