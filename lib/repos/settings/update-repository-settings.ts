import "server-only";
import { and, eq } from "drizzle-orm";
import { projectRepositories } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { requestRepositoryIndex } from "@/lib/knowledge/request-repository-index";
import type { OrgContext } from "@/lib/orgs/context";
import { git, gitBare } from "../git";
import { loadRepository, toSettings } from "./load-repository";
import type { UpdateRepositoryInput } from "./schemas";
import type { RepositorySettings } from "./types";

const FIELDS = [
  "defaultBranch",
  "testCommand",
  "buildCommand",
  "installCommand",
  "lintCommand",
  "sandboxImage",
] as const;

const branchError = (message: string) =>
  new AppError("validation", "Some fields are invalid.", { fieldErrors: { defaultBranch: [message] } });

/** A branch name git accepts (`check-ref-format --branch`) that exists in the origin. */
async function assertBranch(origin: string, branch: string): Promise<void> {
  if (branch.startsWith("-")) throw branchError("A branch name cannot start with a hyphen.");
  const format = await git(["check-ref-format", "--branch", branch], { cwd: origin, okCodes: [1, 128] });
  if (format.code !== 0) throw branchError("That is not a valid branch name.");
  const found = await gitBare(origin, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`], {
    okCodes: [1],
  });
  if (found.code !== 0) throw branchError("No branch of that name exists in the repository.");
}

/**
 * Changes the default branch (which must exist; the origin's HEAD follows it), the project's
 * commands and its docker sandbox image. Commands are stored as typed; they run later in the sandbox, never in a shell here.
 * Only fields that change are written and audited.
 */
export async function updateRepositorySettings(
  ctx: OrgContext,
  slug: string,
  input: UpdateRepositoryInput,
): Promise<RepositorySettings> {
  let movedDefault: string | null = null;
  const settings = await ctx.tx(async (tx) => {
    const loaded = await loadRepository(tx, ctx.org.id, slug, { forUpdate: true, writable: true });
    const { repo, origin, project } = loaded;
    const changed = FIELDS.filter((f) => input[f] !== undefined && input[f] !== repo[f]);
    if (changed.length === 0) return toSettings(loaded);
    if (changed.includes("defaultBranch") && input.defaultBranch) {
      await assertBranch(origin, input.defaultBranch);
    }
    const patch = Object.fromEntries(changed.map((f) => [f, input[f]]));
    const [updated] = await tx
      .update(projectRepositories)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(projectRepositories.orgId, ctx.org.id), eq(projectRepositories.id, repo.id)))
      .returning();
    if (!updated) throw new Error("repository update returned no row");
    if (changed.includes("defaultBranch")) {
      await gitBare(origin, ["symbolic-ref", "HEAD", `refs/heads/${updated.defaultBranch}`]);
      movedDefault = project.id;
    }
    await ctx.audit(tx, {
      action: "repository.update",
      target: { type: "project", id: project.id },
      metadata: { changed, ...patch, previous: Object.fromEntries(changed.map((f) => [f, repo[f]])) },
    });
    return toSettings({ ...loaded, repo: updated });
  });
  // Another branch is the default now: the knowledge base indexes its docs instead.
  if (movedDefault) await requestRepositoryIndex(ctx.org.id, movedDefault);
  return settings;
}
