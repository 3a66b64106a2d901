import { orgRoute } from "@/lib/api/route";
import { getRepositorySettings } from "@/lib/repos/settings/get-repository-settings";
import { updateRepositorySchema } from "@/lib/repos/settings/schemas";
import { updateRepositorySettings } from "@/lib/repos/settings/update-repository-settings";

/** Default branch, branches, commands (with what the files suggest) and the remote, without its token. */
export const GET = orgRoute({ permission: "projects.read" }, async ({ ctx, params }) => ({
  repository: await getRepositorySettings(ctx, params.project ?? ""),
}));

/**
 * Any of defaultBranch (an existing branch), testCommand, buildCommand, installCommand,
 * lintCommand (null or "" clears) and sandboxImage (a docker image reference; null or "": the default).
 */
export const PATCH = orgRoute(
  { permission: "projects.write", body: updateRepositorySchema },
  async ({ ctx, params, body }) => ({
    repository: await updateRepositorySettings(ctx, params.project ?? "", body),
  }),
);
