import { AlertCircleIcon, ArrowLeftIcon } from "lucide-react";
import Link from "next/link";
import type * as React from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";

/** The frame of every Code page: back to the project, the title, then the page's content. */
export function CodeShell({
  org,
  project,
  children,
}: {
  org: string;
  project: { slug: string; name: string };
  children: React.ReactNode;
}) {
  return (
    <>
      <Button asChild variant="ghost" size="sm" className="-ml-2 mb-2">
        <Link href={`/${org}/projects/${project.slug}`}>
          <ArrowLeftIcon />
          {project.name}
        </Link>
      </Button>
      <PageHeader
        title="Code"
        description={`The repository of ${project.name}: every branch, file and commit.`}
      />
      <div className="grid min-w-0 gap-4">{children}</div>
    </>
  );
}

/** A request the page could not read (a malformed ref or path in the URL). */
export function CodeError({ message, backHref }: { message: string; backHref: string }) {
  return (
    <Alert variant="destructive">
      <AlertCircleIcon />
      <AlertTitle>That cannot be shown</AlertTitle>
      <AlertDescription>
        <p>{message}</p>
        <Link className="underline underline-offset-4" href={backHref}>
          Back to the default branch
        </Link>
      </AlertDescription>
    </Alert>
  );
}
