import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { NoAccess } from "@/components/states/no-access";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { DeliveryStatusBadge } from "@/components/webhooks/deliveries-table";
import { ResendDeliveryButton } from "@/components/webhooks/resend-button";
import { AppError } from "@/lib/errors";
import { orgPageContext } from "@/lib/orgs/page-context";
import { getWebhookDelivery } from "@/lib/webhooks/list-deliveries";

export const metadata: Metadata = { title: "Webhook delivery" };

type Props = { params: Promise<{ org: string; delivery: string }> };

const utc = (iso: string) => `${new Date(iso).toLocaleString("en-GB", { timeZone: "UTC" })} UTC`;

export default async function WebhookDeliveryPage({ params }: Props) {
  const { org, delivery: deliveryId } = await params;
  const ctx = await orgPageContext(
    org,
    "integrations.manage",
    `/${org}/settings/webhooks/deliveries/${deliveryId}`,
  );
  if (!ctx) return <NoAccess orgSlug={org} />;
  if (!z.uuid().safeParse(deliveryId).success) notFound();
  const delivery = await getWebhookDelivery(ctx, deliveryId).catch((error) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });

  return (
    <>
      <PageHeader
        title={delivery.eventType}
        description={`To ${delivery.endpointUrl} · webhook-id ${delivery.messageId}`}
        actions={<ResendDeliveryButton orgSlug={ctx.org.slug} deliveryId={delivery.id} />}
      />
      {/* grid-cols-1 (minmax(0, 1fr)): a long payload line scrolls inside its card instead of widening
          the page. */}
      <div className="grid max-w-4xl grid-cols-1 gap-6">
        <Card>
          <CardContent className="grid gap-2 pt-6 text-sm">
            <p className="flex items-center gap-2">
              Status <DeliveryStatusBadge status={delivery.status} />
            </p>
            <p>Created {utc(delivery.createdAt)}</p>
            {delivery.deliveredAt && <p>Delivered {utc(delivery.deliveredAt)}</p>}
            {delivery.lastError && <p className="text-destructive">{delivery.lastError}</p>}
            {delivery.resentFromId && (
              <p>
                A resend of{" "}
                <Link
                  className="underline underline-offset-4"
                  href={`/${ctx.org.slug}/settings/webhooks/deliveries/${delivery.resentFromId}`}
                >
                  the original delivery
                </Link>
                .
              </p>
            )}
            <p>
              <Link
                className="underline underline-offset-4"
                href={`/${ctx.org.slug}/settings/webhooks/${delivery.endpointId}`}
              >
                All deliveries to this endpoint
              </Link>
            </p>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Attempts</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            {delivery.attemptLog.length === 0 ? (
              <p className="text-muted-foreground text-sm">Not attempted yet.</p>
            ) : (
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>#</TableHead>
                    <TableHead>Status code</TableHead>
                    <TableHead className="text-right">Response time</TableHead>
                    <TableHead>Answer or error</TableHead>
                    <TableHead>When</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {delivery.attemptLog.map((a) => (
                    <TableRow key={a.attempt}>
                      <TableCell className="tabular-nums">{a.attempt}</TableCell>
                      <TableCell className="tabular-nums">{a.statusCode ?? "—"}</TableCell>
                      <TableCell className="text-right tabular-nums">{a.durationMs} ms</TableCell>
                      <TableCell className="max-w-80">
                        {a.error && <p className="text-destructive text-xs">{a.error}</p>}
                        {a.responseSnippet && (
                          <pre className="max-h-32 overflow-auto whitespace-pre-wrap break-all text-xs">
                            {a.responseSnippet}
                          </pre>
                        )}
                      </TableCell>
                      <TableCell className="text-muted-foreground text-xs">{utc(a.createdAt)}</TableCell>
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
              <h2>Payload</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            <pre className="max-h-96 overflow-auto rounded bg-muted p-3 text-xs">
              {JSON.stringify(delivery.payload, null, 2)}
            </pre>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
