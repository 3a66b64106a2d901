import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { WebhookDeliverySummary } from "@/lib/webhooks/schemas";

const STATUS_VARIANT = {
  pending: "secondary",
  retrying: "warning",
  succeeded: "success",
  failed: "destructive",
} as const;

export function DeliveryStatusBadge({ status }: { status: WebhookDeliverySummary["status"] }) {
  return <Badge variant={STATUS_VARIANT[status]}>{status}</Badge>;
}

/** Deliveries: event, status, attempts, last answer, response time, when. */
export function WebhookDeliveriesTable({
  orgSlug,
  deliveries,
  showEndpoint = false,
}: {
  orgSlug: string;
  deliveries: WebhookDeliverySummary[];
  showEndpoint?: boolean;
}) {
  if (deliveries.length === 0) {
    return <p className="text-muted-foreground text-sm">No deliveries yet.</p>;
  }
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Event</TableHead>
          {showEndpoint && <TableHead>Endpoint</TableHead>}
          <TableHead>Status</TableHead>
          <TableHead className="text-right">Attempts</TableHead>
          <TableHead className="text-right">Last code</TableHead>
          <TableHead className="text-right">Response time</TableHead>
          <TableHead>Created</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {deliveries.map((d) => (
          <TableRow key={d.id}>
            <TableCell>
              <Link
                href={`/${orgSlug}/settings/webhooks/deliveries/${d.id}`}
                className="font-mono text-xs underline-offset-4 hover:underline"
              >
                {d.eventType}
              </Link>
              {d.resentFromId && <span className="ml-2 text-muted-foreground text-xs">resend</span>}
            </TableCell>
            {showEndpoint && <TableCell className="max-w-48 truncate text-xs">{d.endpointUrl}</TableCell>}
            <TableCell>
              <DeliveryStatusBadge status={d.status} />
            </TableCell>
            <TableCell className="text-right tabular-nums">{d.attempts}</TableCell>
            <TableCell className="text-right tabular-nums">{d.lastStatusCode ?? "—"}</TableCell>
            <TableCell className="text-right tabular-nums">
              {d.lastDurationMs === null ? "—" : `${d.lastDurationMs} ms`}
            </TableCell>
            <TableCell className="text-muted-foreground text-xs">
              <time dateTime={d.createdAt}>
                {new Date(d.createdAt).toLocaleString("en-GB", { timeZone: "UTC" })} UTC
              </time>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
