import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { DeleteSsoConnection } from "@/components/sso/delete-sso-connection";
import { RedirectUri } from "@/components/sso/redirect-uri";
import { SsoConnectionForm } from "@/components/sso/sso-connection-form";
import { SsoStatus } from "@/components/sso/sso-status";
import { NoAccess } from "@/components/states/no-access";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import type { Role } from "@/db/schema";
import { appOrigin } from "@/lib/app-origin";
import { canGrant, ROLE_LABELS } from "@/lib/auth/permissions";
import { orgPageContext } from "@/lib/orgs/page-context";
import { getSsoConnection } from "@/lib/sso/get-connection";
import { ssoRedirectUri } from "@/lib/sso/provider-id";

export const metadata: Metadata = { title: "Single sign-on" };

export default async function SsoSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await orgPageContext(org, "sso.manage", `/${org}/settings/sso`);
  if (!ctx) return <NoAccess orgSlug={org} />;

  const connection = await getSsoConnection(ctx);
  // A new connection gets its id now, so the admin can register the redirect URI before saving.
  const connectionId = connection?.id ?? randomUUID();
  const roleOptions = (Object.keys(ROLE_LABELS) as Role[])
    .filter((role) => canGrant(ctx.role, role))
    .map((role) => ({
      value: role,
      label: ROLE_LABELS[role],
    }));

  return (
    <>
      <PageHeader
        title="Single sign-on"
        description={`Let people at ${ctx.org.name} sign in with your identity provider (OpenID Connect).`}
      />
      <div className="grid max-w-3xl gap-6">
        {connection && (
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Status</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <SsoStatus connection={connection} roleLabel={ROLE_LABELS[connection.defaultRole]} />
            </CardContent>
          </Card>
        )}
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>{connection ? "Connection" : "Set up SSO"}</h2>
            </CardTitle>
            <CardDescription>
              Create an OpenID Connect application in your identity provider (Okta, Microsoft Entra ID, Google
              Workspace, Keycloak…) with the redirect URI below, then enter its issuer, client ID and secret.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-6">
            <RedirectUri uri={ssoRedirectUri(await appOrigin(), connectionId)} saved={Boolean(connection)} />
            <SsoConnectionForm
              orgSlug={ctx.org.slug}
              connection={connection}
              draftId={connection ? undefined : connectionId}
              roleOptions={roleOptions}
            />
          </CardContent>
        </Card>
        {connection && (
          <Card className="border-destructive/40">
            <CardHeader>
              <CardTitle>
                <h2>Delete connection</h2>
              </CardTitle>
              <CardDescription>Stop signing in through {new URL(connection.issuer).host}.</CardDescription>
            </CardHeader>
            <CardContent>
              <DeleteSsoConnection orgSlug={ctx.org.slug} />
            </CardContent>
          </Card>
        )}
      </div>
    </>
  );
}
