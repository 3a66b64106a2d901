import { ArrowLeftIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { ProjectForm } from "@/components/projects/project-form";
import { NoAccess } from "@/components/states/no-access";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { orgPageContext } from "@/lib/orgs/page-context";

export const metadata: Metadata = { title: "New project" };

export default async function NewProjectPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await orgPageContext(org, "projects.write", `/${org}/projects/new`);
  if (!ctx) {
    return <NoAccess orgSlug={org} description="Your role can view projects but not create them." />;
  }
  return (
    <>
      <Button asChild variant="ghost" size="sm" className="-ml-2 mb-2">
        <Link href={`/${org}/projects`}>
          <ArrowLeftIcon />
          Projects
        </Link>
      </Button>
      <PageHeader
        title="New project"
        description="Name the goal and give agents the context they need. You can change all of it later."
      />
      <ProjectForm org={org} />
    </>
  );
}
