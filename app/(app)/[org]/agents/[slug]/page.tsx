import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AgentEditForm } from "@/components/agents/agent-edit-form";
import { CloneAgentDialog } from "@/components/agents/clone-agent-dialog";
import { NoAccess } from "@/components/states/no-access";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getAgent } from "@/lib/agents/org-agents";
import { AGENT_CATEGORY_LABELS } from "@/lib/agents/schema";
import { AppError } from "@/lib/errors";
import { orgPageContext } from "@/lib/orgs/page-context";

export const metadata: Metadata = { title: "Agent" };

export default async function AgentPage({ params }: { params: Promise<{ org: string; slug: string }> }) {
  const { org, slug } = await params;
  const ctx = await orgPageContext(org, "runs.read", `/${org}/agents/${slug}`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const agent = await getAgent(ctx, slug).catch((error) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const d = agent.definition;

  return (
    <>
      <PageHeader
        title={d.name}
        description={`${AGENT_CATEGORY_LABELS[d.category]} · ${agent.source === "builtin" ? "built-in" : `version ${agent.version}`}${agent.archived ? " · archived" : ""}`}
        actions={
          agent.source === "builtin" &&
          ctx.can("agents.manage") && (
            <CloneAgentDialog orgSlug={ctx.org.slug} agent={{ slug: d.slug, name: d.name }} />
          )
        }
      />
      <div className="grid max-w-4xl gap-6">
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>When to use</h2>
            </CardTitle>
            <CardDescription>{d.whenToUse}</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-2 text-sm">
            <p>
              <span className="text-muted-foreground">Model:</span> {d.modelTier}
              {d.modelId ? ` (${d.modelId})` : ""}
            </p>
            <p>
              <span className="text-muted-foreground">Tools:</span> {d.tools.join(", ") || "none"}
            </p>
            <p>
              <span className="text-muted-foreground">Produces:</span> {d.artifactKinds.join(", ")}
            </p>
          </CardContent>
        </Card>
        {ctx.can("agents.manage") ? (
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Edit</h2>
              </CardTitle>
              <CardDescription>
                Each save is a new version; runs record the versions they used.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <AgentEditForm orgSlug={ctx.org.slug} agent={d} />
            </CardContent>
          </Card>
        ) : (
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>System prompt</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <pre className="whitespace-pre-wrap text-xs">{d.systemPrompt}</pre>
            </CardContent>
          </Card>
        )}
        {agent.versions.length > 0 && (
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Version history</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <ul className="grid gap-1 text-sm">
                {agent.versions.map((v) => (
                  <li key={v.version}>
                    v{v.version} · {new Date(v.createdAt).toLocaleString("en")}
                    {v.archived ? " · archived" : ""}
                  </li>
                ))}
              </ul>
            </CardContent>
          </Card>
        )}
      </div>
    </>
  );
}
