import type { Metadata } from "next";
import Link from "next/link";
import { NoAccess } from "@/components/states/no-access";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { WebhookDeliveriesTable } from "@/components/webhooks/deliveries-table";
import { WebhookEndpointForm } from "@/components/webhooks/endpoint-form";
import { orgPageContext } from "@/lib/orgs/page-context";
import { listWebhookDeliveries } from "@/lib/webhooks/list-deliveries";
import { listWebhookEndpoints } from "@/lib/webhooks/list-endpoints";

export const metadata: Metadata = { title: "Webhooks" };

type Props = { params: Promise<{ org: string }> };

export default async function WebhooksPage({ params }: Props) {
  const { org } = await params;
  const ctx = await orgPageContext(org, "integrations.manage", `/${org}/settings/webhooks`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const [endpoints, recent] = await Promise.all([
    listWebhookEndpoints(ctx),
    listWebhookDeliveries(ctx, { limit: 10 }),
  ]);

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Tell other systems when runs, tasks and approvals change. Deliveries are signed (Standard Webhooks) and retried with backoff."
      />
      <div className="grid max-w-4xl gap-6">
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Endpoints</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            {endpoints.length === 0 ? (
              <p className="text-muted-foreground text-sm">No endpoints yet. Add one below.</p>
            ) : (
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>URL</TableHead>
                    <TableHead>Events</TableHead>
                    <TableHead>State</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {endpoints.map((e) => (
                    <TableRow key={e.id}>
                      <TableCell className="max-w-72">
                        <Link
                          href={`/${ctx.org.slug}/settings/webhooks/${e.id}`}
                          className="block truncate font-medium underline-offset-4 hover:underline"
                        >
                          {e.url}
                        </Link>
                        {e.description && <p className="text-muted-foreground text-xs">{e.description}</p>}
                      </TableCell>
                      <TableCell className="text-xs">{e.events.join(", ")}</TableCell>
                      <TableCell>
                        <Badge variant={e.enabled ? "success" : "secondary"}>
                          {e.enabled ? "enabled" : "disabled"}
                        </Badge>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Add an endpoint</h2>
            </CardTitle>
            <CardDescription>
              Each delivery is a POST of <code>{"{ type, timestamp, data }"}</code> with the{" "}
              <code>webhook-id</code>, <code>webhook-timestamp</code> and <code>webhook-signature</code>{" "}
              headers. Answer with a 2xx within 10 s; anything else is retried after 10 s, 1 min, 5 min, 30
              min and 2 h.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <WebhookEndpointForm orgSlug={ctx.org.slug} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Recent deliveries</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            <WebhookDeliveriesTable orgSlug={ctx.org.slug} deliveries={recent.deliveries} showEndpoint />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
