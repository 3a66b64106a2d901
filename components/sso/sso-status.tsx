import { Badge } from "@/components/ui/badge";
import type { SsoConnectionView } from "@/lib/sso/get-connection";
import { formatDateTime } from "@/lib/utils";

export function SsoStatus({ connection, roleLabel }: { connection: SsoConnectionView; roleLabel: string }) {
  return (
    <dl className="grid gap-3 text-sm sm:grid-cols-[10rem_1fr]">
      <dt className="text-muted-foreground">Status</dt>
      <dd className="flex flex-wrap gap-2">
        <Badge variant={connection.enabled ? "success" : "secondary"}>
          {connection.enabled ? "Enabled" : "Disabled"}
        </Badge>
        <Badge variant={connection.enforced ? "warning" : "outline"}>
          {connection.enforced ? "Required for these domains" : "Optional"}
        </Badge>
      </dd>
      <dt className="text-muted-foreground">Domains</dt>
      <dd className="font-mono">{connection.domains.join(", ")}</dd>
      <dt className="text-muted-foreground">New members join as</dt>
      <dd>{roleLabel}</dd>
      <dt className="text-muted-foreground">Last changed</dt>
      <dd>
        <time dateTime={connection.updatedAt}>{formatDateTime(connection.updatedAt)}</time>
      </dd>
    </dl>
  );
}
