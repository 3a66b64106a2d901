import { orgRoute } from "@/lib/api/route";
import { readCommit } from "@/lib/repos/read/read-commit";

/** One commit (full or abbreviated id) with its diff against its first parent. */
export const GET = orgRoute({ permission: "projects.read" }, async ({ ctx, params }) =>
  readCommit(ctx, params.project ?? "", params.sha ?? ""),
);
