import { orgRoute } from "@/lib/api/route";
import { testRemoteSchema } from "@/lib/repos/settings/schemas";
import { testRemote } from "@/lib/repos/settings/test-remote";

/**
 * `{}` tries the connected remote with its stored token; `{ url, token? }` tries one before
 * connecting it. Answers `{ ok: true, defaultBranch, branches }` or `{ ok: false, reason }`.
 */
export const POST = orgRoute(
  { permission: "projects.write", body: testRemoteSchema },
  async ({ ctx, params, body }) => testRemote(ctx, params.project ?? "", body),
);
