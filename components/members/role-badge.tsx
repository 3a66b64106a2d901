import { Badge } from "@/components/ui/badge";

const LABELS: Record<string, string> = { owner: "Owner", admin: "Admin", member: "Member", viewer: "Viewer" };

export function roleLabel(role: string): string {
  return LABELS[role] ?? role;
}

export function RoleBadge({ role }: { role: string }) {
  return (
    <Badge variant={role === "owner" ? "default" : role === "viewer" ? "outline" : "secondary"}>
      {roleLabel(role)}
    </Badge>
  );
}
