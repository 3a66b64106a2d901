import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { NoAccess } from "@/components/states/no-access";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { WebhookDeliveriesTable } from "@/components/webhooks/deliveries-table";
import { WebhookEndpointControls } from "@/components/webhooks/endpoint-controls";
import { WebhookEndpointForm } from "@/components/webhooks/endpoint-form";
import { AppError } from "@/lib/errors";
import { orgPageContext } from "@/lib/orgs/page-context";
import { listWebhookDeliveries } from "@/lib/webhooks/list-deliveries";
import { getWebhookEndpoint } from "@/lib/webhooks/list-endpoints";

export const metadata: Metadata = { title: "Webhook endpoint" };

type Props = {
  params: Promise<{ org: string; endpoint: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function WebhookEndpointPage({ params, searchParams }: Props) {
  const { org, endpoint: endpointId } = await params;
  const query = await searchParams;
  const ctx = await orgPageContext(org, "integrations.manage", `/${org}/settings/webhooks/${endpointId}`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  if (!z.uuid().safeParse(endpointId).success) notFound();
  const cursor = typeof query.cursor === "string" ? query.cursor : undefined;
  const [endpoint, page] = await Promise.all([
    getWebhookEndpoint(ctx, endpointId),
    listWebhookDeliveries(ctx, { endpointId, cursor, limit: 25 }),
  ]).catch((error) => {
    if (error instanceof AppError && (error.code === "not_found" || error.code === "validation")) notFound();
    throw error;
  });

  return (
    <>
      <PageHeader title={endpoint.url} description={endpoint.description || "Webhook endpoint"} />
      <div className="grid max-w-4xl gap-6">
        <Card>
          <CardContent className="pt-6">
            <WebhookEndpointControls
              orgSlug={ctx.org.slug}
              endpointId={endpoint.id}
              enabled={endpoint.enabled}
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Deliveries</h2>
            </CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4">
            <WebhookDeliveriesTable orgSlug={ctx.org.slug} deliveries={page.deliveries} />
            <div className="flex gap-2">
              {cursor && (
                <Button variant="outline" size="sm" asChild>
                  <Link href={`/${ctx.org.slug}/settings/webhooks/${endpoint.id}`}>Newest</Link>
                </Button>
              )}
              {page.nextCursor && (
                <Button variant="outline" size="sm" asChild>
                  <Link
                    href={`/${ctx.org.slug}/settings/webhooks/${endpoint.id}?cursor=${encodeURIComponent(page.nextCursor)}`}
                  >
                    Older
                  </Link>
                </Button>
              )}
            </div>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Settings</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            <WebhookEndpointForm orgSlug={ctx.org.slug} endpoint={endpoint} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
