import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { DeleteSsoConnection } from "@/components/sso/delete-sso-connection";
import { RedirectUri } from "@/components/sso/redirect-uri";
import { SsoConnectionForm } from "@/components/sso/sso-connection-form";
import { SsoDomains } from "@/components/sso/sso-domains";
import { SsoStatus } from "@/components/sso/sso-status";
import { TestSignIn } from "@/components/sso/test-sign-in";
import { NoAccess } from "@/components/states/no-access";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import type { Role } from "@/db/schema";
import { appOrigin } from "@/lib/app-origin";
import { canGrant, ROLE_LABELS } from "@/lib/auth/permissions";
import { orgPageContext } from "@/lib/orgs/page-context";
import { getSsoConnection } from "@/lib/sso/get-connection";
import { ssoRedirectUri } from "@/lib/sso/provider-id";

export const metadata: Metadata = { title: "Single sign-on" };

type Props = {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function SsoSettingsPage({ params, searchParams }: Props) {
  const { org } = await params;
  const query = await searchParams;
  // Set by the SSO callback after a "Test sign-in" for an email in an unverified domain.
  const testedEmail = query.test === "unverified" && typeof query.email === "string" ? query.email : null;
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
        {testedEmail && (
          <Alert>
            <AlertTitle>Test sign-in worked</AlertTitle>
            <AlertDescription>
              Your identity provider signed in {testedEmail}. Nobody was signed in here because that email's
              domain is not verified yet: verify it below to let people sign in through SSO.
            </AlertDescription>
          </Alert>
        )}
        {connection && (
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Status</h2>
              </CardTitle>
            </CardHeader>
            <CardContent className="grid gap-4">
              <SsoStatus connection={connection} roleLabel={ROLE_LABELS[connection.defaultRole]} />
              {connection.enabled && (
                <div className="flex flex-wrap items-center gap-3">
                  <TestSignIn orgSlug={ctx.org.slug} />
                  <p className="text-muted-foreground text-sm">
                    Check the connection with your IdP. For an unverified domain nobody is signed in.
                  </p>
                </div>
              )}
            </CardContent>
          </Card>
        )}
        {connection && connection.domainRecords.length > 0 && (
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Domain verification</h2>
              </CardTitle>
              <CardDescription>
                Prove your organization owns each email domain with a DNS TXT record. Verified domains are
                checked again every day; if the record is missing for{" "}
                {connection.domainRecords[0]?.failedChecksAllowed} checks in a row, the domain is unverified.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <SsoDomains orgSlug={ctx.org.slug} domains={connection.domainRecords} />
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
