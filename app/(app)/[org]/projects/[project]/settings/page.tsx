import { ArchiveIcon, ArrowLeftIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArchiveProjectButton } from "@/components/projects/archive-project-button";
import { ProjectForm } from "@/components/projects/project-form";
import { RepositorySettingsCard } from "@/components/repos/repository-settings";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { orgPageContext } from "@/lib/orgs/page-context";
import { orNotFound } from "@/lib/projects/or-not-found";
import { getProject } from "@/lib/projects/queries";
import { getRepositorySettings } from "@/lib/repos/settings/get-repository-settings";

export const metadata: Metadata = { title: "Edit project" };

type Props = { params: Promise<{ org: string; project: string }> };

export default async function ProjectSettingsPage({ params }: Props) {
  const { org, project: slug } = await params;
  // Viewers may read the page: the repository card shows them the settings read-only.
  const ctx = await orgPageContext(org, "projects.read", `/${org}/projects/${slug}/settings`);
  if (!ctx) notFound();
  const project = await orNotFound(getProject(ctx, slug));
  const repository = await getRepositorySettings(ctx, project.slug);
  const archived = project.status === "archived";
  const canWrite = ctx.can("projects.write");

  if (!canWrite) {
    return (
      <>
        <Button asChild variant="ghost" size="sm" className="-ml-2 mb-2">
          <Link href={`/${org}/projects/${project.slug}`}>
            <ArrowLeftIcon />
            {project.name}
          </Link>
        </Button>
        <PageHeader
          title="Project settings"
          description="Your role can view this project but not change it."
        />
        <RepositorySettingsCard org={org} project={project.slug} settings={repository} readOnly />
      </>
    );
  }

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
      <div className="mt-10">
        <RepositorySettingsCard
          key={`repo-${repository.updatedAt}`}
          org={org}
          project={project.slug}
          settings={repository}
          readOnly={archived}
        />
      </div>
    </>
  );
}
