import "server-only";
import type { OrgContext } from "@/lib/orgs/context";
import { gitBare } from "@/lib/repos/git";
import type { GitRepository } from "./find-git-repository";
import { type PushCommand, ZERO_SHA } from "./read-push-commands";

const AUDITED_REFS_MAX = 100;

/**
 * Records a push in the audit log with the refs it actually changed: each pushed ref is read back
 * from the origin after git finished, so a ref git itself rejected is not claimed as updated.
 */
export async function auditPush(ctx: OrgContext, repository: GitRepository, commands: PushCommand[]) {
  let stdout: string;
  try {
    ({ stdout } = await gitBare(repository.origin, [
      "for-each-ref",
      "--format=%(objectname) %(refname)",
      "refs/heads/",
    ]));
  } catch (error) {
    // The refs cannot be read back: record what was asked for rather than nothing.
    console.error("[git-http] reading refs back after a push", error);
    await record(ctx, repository, commands.map(toAuditedRef), false);
    return;
  }
  const now = new Map(
    stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const space = line.indexOf(" ");
        return [line.slice(space + 1), line.slice(0, space)] as const;
      }),
  );
  const refs = commands
    .filter(({ ref, newSha }) => (ZERO_SHA.test(newSha) ? !now.has(ref) : now.get(ref) === newSha))
    .map(toAuditedRef);
  if (refs.length === 0) return;
  await record(ctx, repository, refs, true);
}

type AuditedRef = { ref: string; old: string | null; new: string | null };

const toAuditedRef = ({ ref, oldSha, newSha }: PushCommand): AuditedRef => ({
  ref,
  old: ZERO_SHA.test(oldSha) ? null : oldSha,
  new: ZERO_SHA.test(newSha) ? null : newSha,
});

async function record(ctx: OrgContext, repository: GitRepository, refs: AuditedRef[], refsReadBack: boolean) {
  if (refs.length === 0) return;
  await ctx.tx((tx) =>
    ctx.audit(tx, {
      action: "repo.push",
      target: { type: "project", id: repository.projectId },
      // A mirror push can carry thousands of refs: the entry keeps the first ones and the count.
      metadata: {
        project: repository.projectSlug,
        refs: refs.slice(0, AUDITED_REFS_MAX),
        refCount: refs.length,
        keyPrefix: ctx.apiKey?.prefix ?? null,
        // false: git's result could not be read back, these are the requested updates.
        refsReadBack,
      },
    }),
  );
}
