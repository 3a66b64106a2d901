import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunComparisonTable } from "@/components/runs/run-comparison";
import { NoAccess } from "@/components/states/no-access";
import { PageHeader } from "@/components/ui/page-header";
import { orgPageContext } from "@/lib/orgs/page-context";
import { orNotFound } from "@/lib/projects/or-not-found";
import { compareRuns } from "@/lib/runs/compare-runs";
import { isUuid } from "@/lib/runs/schemas";

export const metadata: Metadata = { title: "Compare runs" };

type Props = {
  params: Promise<{ org: string; project: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/** `?a=<run>&b=<run>`: two runs of the project side by side (a run and its fork). */
export default async function CompareRunsPage({ params, searchParams }: Props) {
  const { org, project } = await params;
  const { a, b } = await searchParams;
  const ctx = await orgPageContext(org, "runs.read", `/${org}/projects/${project}/runs`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  if (typeof a !== "string" || typeof b !== "string" || !isUuid(a) || !isUuid(b)) notFound();
  const comparison = await orNotFound(compareRuns(ctx, project, a, b));
  return (
    <>
      <PageHeader
        title="Compare runs"
        description="Each task's outcome, agent, commit, tokens and cost in both runs."
      />
      <RunComparisonTable comparison={comparison} org={org} project={project} />
    </>
  );
}
