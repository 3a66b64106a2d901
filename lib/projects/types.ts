/** Project shapes shared by the server, the JSON API and client components (dates as ISO strings). */
export type ProjectStatus = "active" | "archived";

export type ProjectSummary = {
  id: string;
  name: string;
  slug: string;
  description: string;
  status: ProjectStatus;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
};

export type Project = ProjectSummary & {
  brief: string;
  createdBy: { id: string; name: string | null; email: string } | null;
};

/** TanStack Query keys: the server prefetches under the same key the client reads. */
export const projectKeys = {
  all: (org: string) => ["projects", org] as const,
  list: (org: string, status: ProjectStatus, q: string) => ["projects", org, "list", status, q] as const,
};
