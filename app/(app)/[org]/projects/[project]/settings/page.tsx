import { ArchiveIcon, ArrowLeftIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { ArchiveProjectButton } from "@/components/projects/archive-project-button";
import { ProjectForm } from "@/components/projects/project-form";
import { NoAccess } from "@/components/states/no-access";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { orgPageContext } from "@/lib/orgs/page-context";
import { orNotFound } from "@/lib/projects/or-not-found";
import { getProject } from "@/lib/projects/queries";

export const metadata: Metadata = { title: "Edit project" };

type Props = { params: Promise<{ org: string; project: string }> };

export default async function ProjectSettingsPage({ params }: Props) {
  const { org, project: slug } = await params;
  const ctx = await orgPageContext(org, "projects.write", `/${org}/projects/${slug}/settings`);
  if (!ctx) {
    return <NoAccess orgSlug={org} description="Your role can view this project but not change it." />;
  }
  const project = await orNotFound(getProject(ctx, slug));
  const archived = project.status === "archived";

  return (
    <>
      <Button asChild variant="ghost" size="sm" className="-ml-2 mb-2">
        <Link href={`/${org}/projects/${project.slug}`}>
          <ArrowLeftIcon />
          {project.name}
        </Link>
      </Button>
      <PageHeader
        title="Edit project"
        description="Rename the project, change its address, or rewrite its description and brief."
        actions={<ArchiveProjectButton org={org} project={project} />}
      />
      {archived && (
        <Alert className="mb-6 max-w-3xl">
          <ArchiveIcon />
          <AlertTitle>This project is archived</AlertTitle>
          <AlertDescription>It is read-only. Unarchive it to make changes.</AlertDescription>
        </Alert>
      )}
      {/* A key per project state, so unarchiving remounts the form with the current values. */}
      <ProjectForm
        key={`${project.slug}-${project.status}`}
        org={org}
        project={project}
        disabled={archived}
      />
    </>
  );
}
