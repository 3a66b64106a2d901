import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { knowledgeDocumentVersions } from "@/db/schema";
import type { OrgContext } from "@/lib/orgs/context";
import { documentViews, findDocumentRow } from "./document-view";
import { resolveProjectScope } from "./resolve-project-scope";
import type { KnowledgeDocumentView } from "./types";

export type KnowledgeDocumentVersionView = {
  version: number;
  fileName: string | null;
  mimeType: string;
  byteSize: number;
  contentHash: string;
  createdAt: string;
};

export type KnowledgeDocumentDetail = KnowledgeDocumentView & { versions: KnowledgeDocumentVersionView[] };

/** One document of the scope with its versions, newest first. */
export async function getDocument(
  ctx: OrgContext,
  id: string,
  scope: { projectSlug?: string | null } = {},
): Promise<KnowledgeDocumentDetail> {
  return ctx.tx(async (tx) => {
    const projectId = await resolveProjectScope(tx, ctx.org.id, scope.projectSlug);
    const row = await findDocumentRow(tx, ctx.org.id, projectId, id);
    const [view] = await documentViews(tx, ctx.org.id, [row]);
    const versions = await tx
      .select({
        version: knowledgeDocumentVersions.version,
        fileName: knowledgeDocumentVersions.fileName,
        mimeType: knowledgeDocumentVersions.mimeType,
        byteSize: knowledgeDocumentVersions.byteSize,
        contentHash: knowledgeDocumentVersions.contentHash,
        createdAt: knowledgeDocumentVersions.createdAt,
      })
      .from(knowledgeDocumentVersions)
      .where(
        and(
          eq(knowledgeDocumentVersions.orgId, ctx.org.id),
          eq(knowledgeDocumentVersions.documentId, row.id),
        ),
      )
      .orderBy(desc(knowledgeDocumentVersions.version));
    return {
      ...(view as KnowledgeDocumentView),
      versions: versions.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })),
    };
  });
}
