import { ArrowLeftIcon, PlusIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { RunsTable } from "@/components/runs/runs-table";
import { NoAccess } from "@/components/states/no-access";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { orgPageContext } from "@/lib/orgs/page-context";
import { orNotFound } from "@/lib/projects/or-not-found";
import { getProject } from "@/lib/projects/queries";
import { listProjectRuns } from "@/lib/runs/queries";
import { RUN_LIMITS } from "@/lib/runs/schemas";

export const metadata: Metadata = { title: "Runs" };

type Props = { params: Promise<{ org: string; project: string }> };

export default async function ProjectRunsPage({ params }: Props) {
  const { org, project: slug } = await params;
  const ctx = await orgPageContext(org, "runs.read", `/${org}/projects/${slug}/runs`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const project = await orNotFound(getProject(ctx, slug));
  const runs = await listProjectRuns(ctx, slug, { limit: RUN_LIMITS.listMax });
  const canStart = ctx.can("runs.start") && project.status === "active";
  const startButton = canStart ? (
    <Button asChild>
      <Link href={`/${org}/projects/${slug}/runs/new`}>
        <PlusIcon />
        Start a run
      </Link>
    </Button>
  ) : undefined;

  return (
    <>
      <Button asChild variant="ghost" size="sm" className="-ml-2 mb-2">
        <Link href={`/${org}/projects/${slug}`}>
          <ArrowLeftIcon />
          {project.name}
        </Link>
      </Button>
      <PageHeader
        title="Runs"
        description={`Agent runs on ${project.name}, newest first.`}
        actions={startButton}
      />
      <RunsTable orgSlug={org} runs={runs} emptyAction={startButton} />
    </>
  );
}
