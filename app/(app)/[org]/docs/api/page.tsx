import type { Metadata } from "next";
import Link from "next/link";
import { OperationCard } from "@/components/api-reference/operation-card";
import { NoAccess } from "@/components/states/no-access";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { apiReference } from "@/lib/api/v1/reference";
import { appOrigin } from "@/lib/app-origin";
import { orgPageContext } from "@/lib/orgs/page-context";

export const metadata: Metadata = { title: "REST API reference" };

/** The REST API v1 reference, rendered from the same operations registry as the routes. */
export default async function ApiReferencePage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await orgPageContext(org, "org.read", `/${org}/docs/api`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const origin = await appOrigin();
  const groups = apiReference(origin);

  return (
    <>
      <PageHeader
        title="REST API reference"
        description={
          <>
            Every <code>/api/v1</code> operation, its scope and an example. Machine-readable:{" "}
            <a className="underline underline-offset-4" href="/api/v1/openapi.json">
              OpenAPI 3.1 document
            </a>
            .
          </>
        }
      />
      {/* grid-cols-1 (minmax(0, 1fr)): a long curl line scrolls inside its card instead of widening
          every card past the page. */}
      <div className="grid max-w-4xl grid-cols-1 gap-6">
        <Card>
          <CardContent className="space-y-2 text-sm">
            <p>
              Authenticate with an org API key: <code>Authorization: Bearer dmk_…</code>
              {ctx.can("api_keys.manage") && (
                <>
                  {" "}
                  (create one under{" "}
                  <Link className="underline underline-offset-4" href={`/${org}/settings/api-keys`}>
                    Settings → API keys
                  </Link>
                  )
                </>
              )}
              . A key acts for {ctx.org.name} within its scopes; a missing scope answers 403 naming it,
              another organization's ids answer 404.
            </p>
            <p>
              Errors are <code>{"{ error: { code, message, fields } }"}</code> (401, 403, 404, 409, 422 with a
              message per field, 429 with <code>Retry-After</code>). Lists are newest first:{" "}
              <code>?limit=1..100&amp;cursor=…</code>, answered as <code>{"{ data, nextCursor }"}</code>. Rate
              limits apply per key and per organization by plan, reported in <code>RateLimit-*</code> headers.
              Run and project creation honour <code>Idempotency-Key</code> for 24 hours.
            </p>
            <nav aria-label="Operations" className="flex flex-wrap gap-x-4 gap-y-1 pt-2">
              {groups.flatMap((g) =>
                g.operations.map((op) => (
                  <a key={op.id} href={`#${op.id}`} className="text-muted-foreground text-xs hover:underline">
                    {op.summary}
                  </a>
                )),
              )}
            </nav>
          </CardContent>
        </Card>
        {groups.map((g) => (
          <section key={g.tag} className="grid min-w-0 grid-cols-1 gap-4" aria-labelledby={`tag-${g.tag}`}>
            <h2 id={`tag-${g.tag}`} className="font-semibold text-lg">
              {g.tag}
            </h2>
            {g.operations.map((op) => (
              <OperationCard key={op.id} op={op} />
            ))}
          </section>
        ))}
      </div>
    </>
  );
}
