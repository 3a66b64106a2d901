import "server-only";
import { inngest } from "@/inngest/client";
import { knowledgeRepositoryChanged } from "@/inngest/events";

/**
 * Tells the knowledge base that a project's default branch moved (after the change committed), so
 * its docs and READMEs are re-indexed. Never fails the caller: a lost send leaves the index one
 * move behind until the next one.
 */
export async function requestRepositoryIndex(
  orgId: string,
  projectId: string,
  commit?: string,
): Promise<void> {
  try {
    await inngest.send(
      knowledgeRepositoryChanged.create({
        orgId,
        projectId,
        ...(commit && commit.length <= 64 ? { commit } : {}),
      }),
    );
  } catch (error) {
    console.error("[knowledge] could not request a repository index", error);
  }
}
