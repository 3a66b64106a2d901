import { ArrowRightIcon, FolderKanbanIcon, PlusIcon, UserPlusIcon, UsersIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import type * as React from "react";
import { RunsTable } from "@/components/runs/runs-table";
import { UnsandboxedBanner } from "@/components/runs/unsandboxed-banner";
import { NoAccess } from "@/components/states/no-access";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { UsageCharts } from "@/components/usage/usage-charts";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { getOrgOverview } from "@/lib/orgs/org-overview";
import { orgPageContext } from "@/lib/orgs/page-context";
import { getAgentNames, listRecentRuns } from "@/lib/runs/queries";
import { sandboxMode } from "@/lib/sandbox/mode";
import { getOrgUsage, USAGE_WINDOW_DAYS } from "@/lib/usage/queries";
import { formatDate } from "@/lib/utils";

export const metadata: Metadata = { title: "Dashboard" };

function Stat({
  label,
  value,
  href,
  icon,
}: {
  label: string;
  value: number;
  href: string;
  icon: React.ReactNode;
}) {
  return (
    <Link
      href={href}
      className="block rounded-xl outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
    >
      <Card className="gap-2 py-5 transition-colors hover:bg-accent/40">
        <CardHeader className="flex items-center justify-between px-5">
          <CardDescription>{label}</CardDescription>
          <span className="text-muted-foreground [&_svg]:size-4">{icon}</span>
        </CardHeader>
        <CardContent className="px-5">
          <p className="font-semibold text-3xl tabular-nums">{value.toLocaleString("en-US")}</p>
        </CardContent>
      </Card>
    </Link>
  );
}

export default async function DashboardPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await orgPageContext(org, "org.read", `/${org}`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const overview = await getOrgOverview(ctx);
  const canSeeRuns = ctx.can("runs.read");
  const [recentRuns, usage, agentNames] = canSeeRuns
    ? await Promise.all([listRecentRuns(ctx, { limit: 8 }), getOrgUsage(ctx), getAgentNames(ctx)])
    : [[], null, {}];
  const canWrite = ctx.can("projects.write");
  const canInvite = ctx.can("members.invite");
  const firstName = ctx.user.name?.trim().split(/\s+/)[0];

  const quickActions = (
    <>
      {canInvite && (
        <Button asChild variant="outline">
          <Link href={`/${org}/members?invite=1`}>
            <UserPlusIcon />
            Invite teammates
          </Link>
        </Button>
      )}
      {canWrite && (
        <Button asChild>
          <Link href={`/${org}/projects/new`}>
            <PlusIcon />
            New project
          </Link>
        </Button>
      )}
    </>
  );

  return (
    <>
      <PageHeader
        title={firstName ? `Welcome, ${firstName}` : "Welcome"}
        description={`${ctx.org.name} · Your role: ${ROLE_LABELS[ctx.role]}`}
        actions={quickActions}
      />
      <div className="grid grid-cols-1 gap-6">
        <div className="grid gap-4 sm:grid-cols-2">
          <Stat label="Members" value={overview.memberCount} href={`/${org}/members`} icon={<UsersIcon />} />
          <Stat
            label="Active projects"
            value={overview.projectCount}
            href={`/${org}/projects`}
            icon={<FolderKanbanIcon />}
          />
        </div>
        {canSeeRuns && (
          <section aria-labelledby="recent-runs" className="grid min-w-0 grid-cols-1 gap-3">
            <h2 id="recent-runs" className="font-semibold text-lg">
              Recent runs
            </h2>
            <UnsandboxedBanner show={sandboxMode().unsafe} />
            <RunsTable orgSlug={org} runs={recentRuns} showProject />
          </section>
        )}
        {usage && (
          <section aria-labelledby="usage" className="grid min-w-0 grid-cols-1 gap-3">
            <h2 id="usage" className="font-semibold text-lg">
              Model usage, last {USAGE_WINDOW_DAYS} days
            </h2>
            <UsageCharts
              byDay={usage.byDay}
              byAgent={usage.byAgent}
              byModel={usage.byModel}
              agentNames={agentNames}
            />
          </section>
        )}
        <section aria-labelledby="recent-projects" className="grid min-w-0 grid-cols-1 gap-3">
          <div className="flex items-center justify-between">
            <h2 id="recent-projects" className="font-semibold text-lg">
              Recent projects
            </h2>
            {overview.recentProjects.length > 0 && (
              <Button asChild variant="ghost" size="sm">
                <Link href={`/${org}/projects`}>
                  All projects
                  <ArrowRightIcon />
                </Link>
              </Button>
            )}
          </div>
          {overview.recentProjects.length === 0 ? (
            <EmptyState
              icon={<FolderKanbanIcon />}
              title="No projects yet"
              description={
                canWrite
                  ? "Start with a project: a goal and the brief your agents work from."
                  : "Nobody has created a project here yet."
              }
              action={
                canWrite ? (
                  <Button asChild>
                    <Link href={`/${org}/projects/new`}>
                      <PlusIcon />
                      New project
                    </Link>
                  </Button>
                ) : undefined
              }
            />
          ) : (
            <ul className="divide-y rounded-xl border bg-card">
              {overview.recentProjects.map((project) => (
                <li key={project.id}>
                  <Link
                    href={`/${org}/projects/${project.slug}`}
                    className="flex items-center gap-4 px-4 py-3 outline-none transition-colors first:rounded-t-xl last:rounded-b-xl hover:bg-accent/40 focus-visible:ring-[3px] focus-visible:ring-ring/50"
                  >
                    <span className="min-w-0 flex-1">
                      <span className="block truncate font-medium">{project.name}</span>
                      <span className="block truncate text-muted-foreground text-sm">
                        {project.description || "No description"}
                      </span>
                    </span>
                    <span className="hidden shrink-0 text-muted-foreground text-xs sm:block">
                      Updated {formatDate(project.updatedAt, { dateStyle: "medium", timeZone: "UTC" })}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}
