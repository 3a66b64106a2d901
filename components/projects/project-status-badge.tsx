import { Badge } from "@/components/ui/badge";
import type { ProjectStatus } from "@/lib/projects/types";

export function ProjectStatusBadge({ status }: { status: ProjectStatus }) {
  return status === "archived" ? (
    <Badge variant="secondary">Archived</Badge>
  ) : (
    <Badge variant="success">Active</Badge>
  );
}
