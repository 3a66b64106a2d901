"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { FolderKanbanIcon, PlusIcon, SearchIcon } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { ProjectStatusBadge } from "@/components/projects/project-status-badge";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { Tabs, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { PROJECT_LIMITS } from "@/lib/projects/schemas";
import { type ProjectStatus, type ProjectSummary, projectKeys } from "@/lib/projects/types";
import { formatDate } from "@/lib/utils";

type ProjectListProps = {
  org: string;
  canWrite: boolean;
  /** The filters the page was rendered with (from its URL); their results are prefetched. */
  initialStatus: ProjectStatus;
  initialQuery: string;
};

async function fetchProjects(org: string, status: ProjectStatus, q: string, signal: AbortSignal) {
  const params = new URLSearchParams({ status });
  if (q) params.set("q", q);
  const res = await fetch(`/api/orgs/${org}/projects?${params}`, { signal });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? "Could not load projects.");
  return (body as { projects: ProjectSummary[] }).projects;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Active/archived tabs and a name search, kept in the URL so a filtered list can be shared. */
export function ProjectList({ org, canWrite, initialStatus, initialQuery }: ProjectListProps) {
  const [status, setStatus] = useState<ProjectStatus>(initialStatus);
  const [search, setSearch] = useState(initialQuery);
  const q = useDebounced(search.trim(), 250);

  useEffect(() => {
    const params = new URLSearchParams();
    if (status !== "active") params.set("status", status);
    if (q) params.set("q", q);
    const query = params.toString();
    // Next's router follows native history updates, without a server round trip.
    window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
  }, [status, q]);

  const projects = useQuery({
    queryKey: projectKeys.list(org, status, q),
    queryFn: ({ signal }) => fetchProjects(org, status, q, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <div className="grid gap-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <Tabs value={status} onValueChange={(v) => setStatus(v as ProjectStatus)}>
          <TabsList aria-label="Project status">
            <TabsTrigger value="active">Active</TabsTrigger>
            <TabsTrigger value="archived">Archived</TabsTrigger>
          </TabsList>
        </Tabs>
        <div className="relative sm:w-72">
          <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" />
          <Input
            type="search"
            aria-label="Search projects by name"
            placeholder="Search by name"
            className="pl-9"
            maxLength={PROJECT_LIMITS.search}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          {projects.isFetching && (
            <Spinner className="absolute top-1/2 right-3 -translate-y-1/2 text-muted-foreground" />
          )}
        </div>
      </div>

      {projects.isError ? (
        <Alert variant="destructive">
          <AlertDescription>{projects.error.message}</AlertDescription>
        </Alert>
      ) : !projects.data ? (
        <div className="flex justify-center py-12">
          <Spinner />
        </div>
      ) : projects.data.length === 0 ? (
        <EmptyProjects org={org} canWrite={canWrite} status={status} searched={Boolean(q)} />
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" aria-busy={projects.isFetching}>
          {projects.data.map((p) => (
            <li key={p.id}>
              <Link
                href={`/${org}/projects/${p.slug}`}
                className="block h-full rounded-xl outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
              >
                <Card className="h-full gap-3 py-5 transition-colors hover:bg-accent/40">
                  <CardHeader className="px-5">
                    <div className="flex items-start justify-between gap-2">
                      <CardTitle className="truncate leading-snug">{p.name}</CardTitle>
                      {p.status === "archived" && <ProjectStatusBadge status={p.status} />}
                    </div>
                    <CardDescription className="line-clamp-2 min-h-10">
                      {p.description || <span className="italic">No description</span>}
                    </CardDescription>
                    <p className="pt-1 text-muted-foreground text-xs">
                      <span className="font-mono">{p.slug}</span> · Updated{" "}
                      {formatDate(p.updatedAt, { dateStyle: "medium", timeZone: "UTC" })}
                    </p>
                  </CardHeader>
                </Card>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function EmptyProjects({
  org,
  canWrite,
  status,
  searched,
}: {
  org: string;
  canWrite: boolean;
  status: ProjectStatus;
  searched: boolean;
}) {
  if (searched) {
    return <EmptyState icon={<SearchIcon />} title="No matching projects" description="Try another name." />;
  }
  if (status === "archived") {
    return (
      <EmptyState
        icon={<FolderKanbanIcon />}
        title="No archived projects"
        description="Archived projects appear here, read-only, until someone unarchives them."
      />
    );
  }
  return (
    <EmptyState
      icon={<FolderKanbanIcon />}
      title="No projects yet"
      description={
        canWrite
          ? "A project holds a goal and its context: the brief agents read, and later their runs and artifacts."
          : "Nobody has created a project in this organization yet."
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
  );
}
