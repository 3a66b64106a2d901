import { ArrowLeftIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { NewAgentForm } from "@/components/agents/new-agent-form";
import { NoAccess } from "@/components/states/no-access";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { ARTIFACT_KIND_SPECS, ARTIFACT_KINDS } from "@/lib/agents/artifact-kinds";
import { AGENT_CATEGORIES, AGENT_CATEGORY_LABELS, MODEL_TIERS } from "@/lib/agents/schema";
import { AGENT_TOOL_NAMES } from "@/lib/agents/tools";
import { orgPageContext } from "@/lib/orgs/page-context";

export const metadata: Metadata = { title: "New agent" };

// Reading is what almost every agent needs; writing and the rest are a choice.
const DEFAULT_TOOLS = ["read_project_brief", "read_context", "read_artifact", "write_artifact"] as const;

export default async function NewAgentPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await orgPageContext(org, "agents.manage", `/${org}/agents/new`);
  if (!ctx) {
    return <NoAccess orgSlug={org} description="Your role can use agents but not create them." />;
  }
  return (
    <>
      <Button asChild variant="ghost" size="sm" className="-ml-2 mb-2">
        <Link href={`/${org}/agents`}>
          <ArrowLeftIcon />
          Agents
        </Link>
      </Button>
      <PageHeader
        title="New agent"
        description="A specialist of your organization's own. To start from a built-in, open it and clone it instead."
      />
      <NewAgentForm
        orgSlug={ctx.org.slug}
        categories={AGENT_CATEGORIES.map((c) => ({ value: c, label: AGENT_CATEGORY_LABELS[c] }))}
        modelTiers={MODEL_TIERS}
        tools={AGENT_TOOL_NAMES}
        artifactKinds={ARTIFACT_KINDS.map((k) => ({ value: k, label: ARTIFACT_KIND_SPECS[k].label }))}
        defaultTools={DEFAULT_TOOLS}
      />
    </>
  );
}
