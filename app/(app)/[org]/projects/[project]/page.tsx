import {
  ArchiveIcon,
  ArrowLeftIcon,
  ArrowRightIcon,
  CodeIcon,
  LibraryIcon,
  PencilIcon,
  PlayIcon,
} from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import type * as React from "react";
import { ProjectChecks } from "@/components/checks/project-checks";
import { RunProjectChecksButton } from "@/components/checks/run-project-checks-button";
import { ArchiveProjectButton } from "@/components/projects/archive-project-button";
import { ProjectStatusBadge } from "@/components/projects/project-status-badge";
import { RunsTable } from "@/components/runs/runs-table";
import { StartRunForm } from "@/components/runs/start-run-form";
import { UnsandboxedBanner } from "@/components/runs/unsandboxed-banner";
import { NoAccess } from "@/components/states/no-access";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getAiSettings } from "@/lib/ai/org-settings";
import { getProjectCheckStatus } from "@/lib/checks/read/project-check-status";
import { orgPageContext } from "@/lib/orgs/page-context";
import { orNotFound } from "@/lib/projects/or-not-found";
import { getProject } from "@/lib/projects/queries";
import { listProjectRuns } from "@/lib/runs/queries";
import { sandboxMode } from "@/lib/sandbox/mode";
import { formatDate } from "@/lib/utils";
import { startRunAction } from "./runs/actions";

export const metadata: Metadata = { title: "Project" };

type Props = { params: Promise<{ org: string; project: string }> };

const when = (iso: string) =>
  `${formatDate(iso, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;

export default async function ProjectPage({ params }: Props) {
  const { org, project: slug } = await params;
  const ctx = await orgPageContext(org, "projects.read", `/${org}/projects/${slug}`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const project = await orNotFound(getProject(ctx, slug));
  const canWrite = ctx.can("projects.write");
  const archived = project.status === "archived";
  const runs = await listProjectRuns(ctx, slug, { limit: 10 });
  const checkStatus = await getProjectCheckStatus(ctx, slug);
  const canStart = ctx.can("runs.start") && !archived;
  const defaultTokenBudget = canStart ? (await getAiSettings(ctx)).defaultTokenBudget : null;

  return (
    <>
      <Button asChild variant="ghost" size="sm" className="-ml-2 mb-2">
        <Link href={`/${org}/projects`}>
          <ArrowLeftIcon />
          Projects
        </Link>
      </Button>
      <PageHeader
        title={project.name}
        description={project.description || undefined}
        actions={
          <>
            <Button asChild variant="outline">
              <Link href={`/${org}/projects/${project.slug}/code`}>
                <CodeIcon />
                Code
              </Link>
            </Button>
            {ctx.can("knowledge.read") && (
              <Button asChild variant="outline">
                <Link href={`/${org}/projects/${project.slug}/knowledge`}>
                  <LibraryIcon />
                  Knowledge
                </Link>
              </Button>
            )}
            {canWrite && (
              <>
                {!archived && (
                  <Button asChild variant="outline">
                    <Link href={`/${org}/projects/${project.slug}/settings`}>
                      <PencilIcon />
                      Edit
                    </Link>
                  </Button>
                )}
                <ArchiveProjectButton org={org} project={project} />
              </>
            )}
          </>
        }
      />

      {archived && (
        <Alert className="mb-6">
          <ArchiveIcon />
          <AlertTitle>This project is archived</AlertTitle>
          <AlertDescription>
            It is read-only{canWrite ? "; unarchive it to make changes." : "."}
          </AlertDescription>
        </Alert>
      )}

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="grid min-w-0 content-start gap-6">
          <Card>
            <CardHeader>
              <CardTitle>Brief</CardTitle>
              <CardDescription>
                The system and goal context agents read before working on this project.
              </CardDescription>
            </CardHeader>
            <CardContent>
              {project.brief ? (
                <pre className="max-h-[70vh] overflow-auto whitespace-pre-wrap break-words rounded-md bg-muted/50 p-4 font-mono text-sm leading-relaxed">
                  {project.brief}
                </pre>
              ) : (
                <p className="text-muted-foreground text-sm">
                  No brief yet.
                  {canWrite && !archived && (
                    <>
                      {" "}
                      <Link
                        className="underline underline-offset-4"
                        href={`/${org}/projects/${project.slug}/settings`}
                      >
                        Write one
                      </Link>{" "}
                      so agents know the goal, the existing system and its constraints.
                    </>
                  )}
                </p>
              )}
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>Runs</CardTitle>
              <CardDescription>
                Agent runs on this project, with their artifacts and approvals.
              </CardDescription>
              <CardAction>
                <Button asChild variant="ghost" size="sm">
                  <Link href={`/${org}/projects/${project.slug}/runs`}>
                    All runs
                    <ArrowRightIcon />
                  </Link>
                </Button>
              </CardAction>
            </CardHeader>
            <CardContent className="grid grid-cols-1 gap-6">
              <UnsandboxedBanner show={sandboxMode().unsafe} />
              <RunsTable orgSlug={org} runs={runs} />
              {canStart && (
                <section aria-labelledby="start-run" className="grid gap-4 border-t pt-6">
                  <h3 id="start-run" className="flex items-center gap-2 font-semibold">
                    <PlayIcon className="size-4" />
                    Start a run
                  </h3>
                  <StartRunForm
                    orgSlug={org}
                    projectSlug={project.slug}
                    action={startRunAction.bind(null, org)}
                    defaultTokenBudget={defaultTokenBudget}
                  />
                </section>
              )}
            </CardContent>
          </Card>
        </div>

        <div className="grid content-start gap-6 self-start">
          <Card className="content-start gap-4">
            <CardHeader>
              <CardTitle>Details</CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="grid gap-3 text-sm">
                <Detail label="Status">
                  <ProjectStatusBadge status={project.status} />
                </Detail>
                <Detail label="Slug">
                  <span className="break-all font-mono">{project.slug}</span>
                </Detail>
                <Detail label="Created by">
                  {project.createdBy ? (
                    <span className="break-all">{project.createdBy.name ?? project.createdBy.email}</span>
                  ) : (
                    <span className="text-muted-foreground">A former user</span>
                  )}
                </Detail>
                <Detail label="Created">{when(project.createdAt)}</Detail>
                <Detail label="Last updated">{when(project.updatedAt)}</Detail>
                {project.archivedAt && <Detail label="Archived">{when(project.archivedAt)}</Detail>}
              </dl>
            </CardContent>
          </Card>
          <Card className="content-start gap-4">
            <CardHeader>
              <CardTitle>Checks</CardTitle>
              <CardDescription>The latest tests, build and lint on each branch.</CardDescription>
            </CardHeader>
            <CardContent>
              <ProjectChecks org={org} project={project.slug} status={checkStatus} />
              {ctx.can("runs.start") && !project.archivedAt && (
                <div className="mt-3">
                  <RunProjectChecksButton org={org} project={project.slug} />
                </div>
              )}
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  );
}

function Detail({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1">
      <dt className="text-muted-foreground text-xs">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
