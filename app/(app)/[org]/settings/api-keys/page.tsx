import type { Metadata } from "next";
import Link from "next/link";
import { ApiKeyList } from "@/components/api-keys/api-key-list";
import { CreateApiKeyForm } from "@/components/api-keys/create-api-key-form";
import { NoAccess } from "@/components/states/no-access";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { listApiKeys } from "@/lib/api-keys/list-api-keys";
import { SCOPE_GROUPS, SCOPE_PRESETS } from "@/lib/api-keys/presets";
import { apiUsageSnippets, KEY_PLACEHOLDER } from "@/lib/api-keys/usage-snippets";
import { appOrigin } from "@/lib/app-origin";
import { PERMISSION_LABELS } from "@/lib/auth/permissions";
import { mcpClientConfigs } from "@/lib/mcp-server/client-configs";
import { orgPageContext } from "@/lib/orgs/page-context";

export const metadata: Metadata = { title: "API keys" };

type Props = { params: Promise<{ org: string }> };

export default async function ApiKeysPage({ params }: Props) {
  const { org } = await params;
  const ctx = await orgPageContext(org, "api_keys.manage", `/${org}/settings/api-keys`);
  if (!ctx) return <NoAccess orgSlug={org} />;

  const [keys, origin] = await Promise.all([listApiKeys(ctx), appOrigin()]);
  const groups = SCOPE_GROUPS.map((group) => ({
    label: group.label,
    scopes: group.scopes.map((scope) => ({
      scope,
      label: PERMISSION_LABELS[scope],
      allowed: ctx.can(scope),
    })),
  }));
  const presets = SCOPE_PRESETS.filter((preset) => preset.scopes.every((scope) => ctx.can(scope)));
  const configs = [
    ...mcpClientConfigs(origin, KEY_PLACEHOLDER).map((config) => ({
      id: config.client,
      label: `${config.label} (MCP)`,
      hint: `Paste into ${config.where}.`,
      content: config.snippet,
    })),
    ...apiUsageSnippets(origin, ctx.org.slug),
  ];

  return (
    <>
      <PageHeader
        title="API keys"
        description={`Let CI, scripts and IDE agents act for ${ctx.org.name} through the REST API, the MCP server and git over HTTPS.`}
      />
      <div className="grid max-w-4xl grid-cols-1 gap-6">
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Keys</h2>
            </CardTitle>
            <CardDescription>
              A key acts for the organization within its scopes, and never beyond what the member who created
              it may do now. What it does is in the audit log. See the{" "}
              <Link className="underline underline-offset-4" href={`/${ctx.org.slug}/docs/api`}>
                API reference
              </Link>
              .
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ApiKeyList orgSlug={ctx.org.slug} keys={keys} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Create a key</h2>
            </CardTitle>
            <CardDescription>Give it only the scopes its job needs, and an expiry.</CardDescription>
          </CardHeader>
          <CardContent>
            <CreateApiKeyForm
              orgSlug={ctx.org.slug}
              groups={groups}
              presets={presets}
              configs={configs}
              placeholder={KEY_PLACEHOLDER}
            />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
