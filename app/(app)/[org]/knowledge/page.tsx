import type { Metadata } from "next";
import { KnowledgeView } from "@/components/knowledge/knowledge-view";
import { NoAccess } from "@/components/states/no-access";
import { PageHeader } from "@/components/ui/page-header";
import { MAX_UPLOAD_BYTES } from "@/lib/knowledge/limits";
import { orgPageContext } from "@/lib/orgs/page-context";
import { listProjects } from "@/lib/projects/queries";

export const metadata: Metadata = { title: "Knowledge" };

type Props = { params: Promise<{ org: string }> };

/** The organization's own knowledge: documents every project sees, and its insights. */
export default async function OrgKnowledgePage({ params }: Props) {
  const { org } = await params;
  const ctx = await orgPageContext(org, "knowledge.read", `/${org}/knowledge`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const projects = await listProjects(ctx, { status: "active" });
  return (
    <>
      <PageHeader
        title="Knowledge"
        description="Documents and insights the whole organization shares. Agents search them while they work and cite what they use."
      />
      <KnowledgeView
        org={ctx.org.slug}
        project={null}
        canWrite={ctx.can("knowledge.write")}
        maxUploadBytes={MAX_UPLOAD_BYTES}
        aiSettingsHref={ctx.can("org.manage") ? `/${ctx.org.slug}/settings/ai` : null}
        projectSlugs={Object.fromEntries(projects.map((p) => [p.id, p.slug]))}
      />
    </>
  );
}
