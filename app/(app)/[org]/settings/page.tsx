import type { Metadata } from "next";
import { DeleteOrganizationDialog } from "@/components/org/delete-organization-dialog";
import { OrgSettingsForm } from "@/components/org/org-settings-form";
import { NoAccess } from "@/components/states/no-access";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { orgPageContext } from "@/lib/orgs/page-context";

export const metadata: Metadata = { title: "Settings" };

export default async function OrgSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await orgPageContext(org, "org.manage", `/${org}/settings`);
  if (!ctx) return <NoAccess orgSlug={org} />;

  return (
    <>
      <PageHeader title="Settings" description={`General settings for ${ctx.org.name}.`} />
      <div className="grid max-w-3xl gap-6">
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>General</h2>
            </CardTitle>
            <CardDescription>The organization's name and the address its pages live at.</CardDescription>
          </CardHeader>
          <CardContent>
            <OrgSettingsForm org={{ name: ctx.org.name, slug: ctx.org.slug }} />
          </CardContent>
        </Card>
        {ctx.can("org.delete") && (
          <Card className="border-destructive/40">
            <CardHeader>
              <CardTitle>
                <h2>Delete organization</h2>
              </CardTitle>
              <CardDescription>
                Permanently removes {ctx.org.name} and everything in it. Only owners can do this.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <DeleteOrganizationDialog org={{ name: ctx.org.name, slug: ctx.org.slug }} />
            </CardContent>
          </Card>
        )}
      </div>
    </>
  );
}
