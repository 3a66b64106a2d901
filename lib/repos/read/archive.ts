import "server-only";
import type { OrgContext } from "@/lib/orgs/context";
import { gitBareStream } from "../git";
import type { ArchiveFormat } from "./archive-formats";
import { openProjectRepo, resolveRef } from "./repo";

/**
 * The tree of `ref` as a zip or gzipped tar, streamed from `git archive` as it is produced. Files
 * sit under `<project>-<short sha>/`.
 */
export async function archive(
  ctx: OrgContext,
  projectSlug: string,
  input: { ref?: string; format: ArchiveFormat },
): Promise<{ stream: ReadableStream<Uint8Array>; filename: string; contentType: string }> {
  const repo = await openProjectRepo(ctx, projectSlug);
  const ref = await resolveRef(repo, input.ref);
  // The slug is [a-z0-9-] (lib/projects/schemas.ts) and the id hex: safe in a prefix and a header.
  const name = `${repo.project.slug}-${ref.sha.slice(0, 7)}`;
  const { stream } = gitBareStream(repo.origin, [
    "archive",
    `--format=${input.format === "zip" ? "zip" : "tar.gz"}`,
    `--prefix=${name}/`,
    ref.sha,
  ]);
  return {
    stream,
    filename: `${name}.${input.format}`,
    contentType: input.format === "zip" ? "application/zip" : "application/gzip",
  };
}
