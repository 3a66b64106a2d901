import { orgRoute } from "@/lib/api/route";
import { archive } from "@/lib/repos/read/archive";
import { archiveQuerySchema, attachment } from "@/lib/repos/read/schemas";

/** The tree of `?ref=` as `format=zip` (default) or `tar.gz`, streamed from `git archive`. */
export const GET = orgRoute(
  { permission: "projects.read", query: archiveQuerySchema },
  async ({ ctx, params, query }) => {
    const file = await archive(ctx, params.project ?? "", query);
    return new Response(file.stream, {
      headers: {
        "content-type": file.contentType,
        "content-disposition": attachment(file.filename),
        "x-content-type-options": "nosniff",
        "cache-control": "private, no-store",
      },
    });
  },
);
