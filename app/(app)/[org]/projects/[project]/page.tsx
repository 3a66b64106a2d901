import { ArchiveIcon, ArrowLeftIcon, PencilIcon, PlayIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import type * as React from "react";
import { ArchiveProjectButton } from "@/components/projects/archive-project-button";
import { ProjectStatusBadge } from "@/components/projects/project-status-badge";
import { NoAccess } from "@/components/states/no-access";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { orgPageContext } from "@/lib/orgs/page-context";
import { orNotFound } from "@/lib/projects/or-not-found";
import { getProject } from "@/lib/projects/queries";
import { formatDate } from "@/lib/utils";

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
          canWrite ? (
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
          ) : undefined
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
            </CardHeader>
            <CardContent>
              <EmptyState
                icon={<PlayIcon />}
                title="Runs arrive with the agent swarm"
                description="Starting runs is not available yet. Once the agent swarm ships, each run on this project is listed here; there are none so far."
              />
            </CardContent>
          </Card>
        </div>

        <Card className="content-start gap-4 self-start">
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
