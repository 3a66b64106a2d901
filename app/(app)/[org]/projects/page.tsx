import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { PlusIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { ProjectList } from "@/components/projects/project-list";
import { NoAccess } from "@/components/states/no-access";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { orgPageContext } from "@/lib/orgs/page-context";
import { listProjects } from "@/lib/projects/queries";
import { listProjectsQuerySchema } from "@/lib/projects/schemas";
import { projectKeys } from "@/lib/projects/types";

export const metadata: Metadata = { title: "Projects" };

type Props = {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function ProjectsPage({ params, searchParams }: Props) {
  const { org } = await params;
  const ctx = await orgPageContext(org, "projects.read", `/${org}/projects`);
  if (!ctx) return <NoAccess orgSlug={org} />;

  // A hand-edited URL with a bad filter shows the default list rather than an error.
  const parsed = listProjectsQuerySchema.safeParse(await searchParams);
  const filters = parsed.success ? parsed.data : { status: "active" as const, q: undefined };
  const q = filters.q ?? "";
  const queryClient = new QueryClient();
  await queryClient.prefetchQuery({
    queryKey: projectKeys.list(org, filters.status, q),
    queryFn: () => listProjects(ctx, filters),
  });
  const canWrite = ctx.can("projects.write");

  return (
    <>
      <PageHeader
        title="Projects"
        description="Each project holds a goal and the context agents work from."
        actions={
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
      <HydrationBoundary state={dehydrate(queryClient)}>
        <ProjectList org={org} canWrite={canWrite} initialStatus={filters.status} initialQuery={q} />
      </HydrationBoundary>
    </>
  );
}
