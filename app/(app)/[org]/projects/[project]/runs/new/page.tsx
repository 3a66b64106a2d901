import { ArchiveIcon, ArrowLeftIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { StartRunForm } from "@/components/runs/start-run-form";
import { NoAccess } from "@/components/states/no-access";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getAiSettings } from "@/lib/ai/org-settings";
import { orgPageContext } from "@/lib/orgs/page-context";
import { orNotFound } from "@/lib/projects/or-not-found";
import { getProject } from "@/lib/projects/queries";
import { startRunAction } from "../actions";

export const metadata: Metadata = { title: "Start a run" };

type Props = { params: Promise<{ org: string; project: string }> };

export default async function NewRunPage({ params }: Props) {
  const { org, project: slug } = await params;
  const ctx = await orgPageContext(org, "runs.start", `/${org}/projects/${slug}/runs/new`);
  if (!ctx) return <NoAccess orgSlug={org} description="Starting runs needs the member role or above." />;
  const project = await orNotFound(getProject(ctx, slug));
  if (project.status !== "active") {
    return (
      <EmptyState
        icon={<ArchiveIcon />}
        title="This project is archived"
        description="Restore it before starting a run."
        action={
          <Button asChild variant="outline">
            <Link href={`/${org}/projects/${slug}`}>Back to the project</Link>
          </Button>
        }
      />
    );
  }
  const settings = await getAiSettings(ctx);

  return (
    <>
      <Button asChild variant="ghost" size="sm" className="-ml-2 mb-2">
        <Link href={`/${org}/projects/${slug}/runs`}>
          <ArrowLeftIcon />
          {project.name} runs
        </Link>
      </Button>
      <PageHeader
        title="Start a run"
        description={`The agent swarm plans the work for ${project.name}, runs it and asks for approval where the template says so.`}
      />
      <StartRunForm
        orgSlug={org}
        projectSlug={slug}
        action={startRunAction.bind(null, org)}
        defaultTokenBudget={settings.defaultTokenBudget}
      />
    </>
  );
}
