import type { Metadata } from "next";
import { AiSettingsForm } from "@/components/ai-settings/ai-settings-form";
import { EmbeddingStatusView } from "@/components/ai-settings/embedding-status";
import { DemoModelBadge } from "@/components/runs/demo-model-badge";
import { NoAccess } from "@/components/states/no-access";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getAiSettings } from "@/lib/ai/org-settings";
import { getEmbeddingStatus } from "@/lib/knowledge/embeddings/embedding-status";
import { orgPageContext } from "@/lib/orgs/page-context";

export const metadata: Metadata = { title: "AI settings" };

export default async function AiSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await orgPageContext(org, "org.manage", `/${org}/settings/ai`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const [settings, embeddings] = await Promise.all([getAiSettings(ctx), getEmbeddingStatus(ctx.org.id)]);

  return (
    <>
      <PageHeader
        title="AI settings"
        description={`The model provider, budgets, standards and code execution ${ctx.org.name}'s agents work with.`}
      />
      <div className="grid max-w-3xl gap-6">
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Runs use</h2>
            </CardTitle>
            <CardDescription>
              {settings.provider
                ? "This organization's own provider."
                : "No provider is set for this organization, so runs use the instance's."}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-2">
            {settings.effective.usesDemoModel ? (
              <>
                <DemoModelBadge variant="banner" />
                <p className="text-muted-foreground text-sm">
                  No AI provider is configured: agents are driven by a scripted demo model so the whole
                  pipeline works offline. Its output is not AI. Choose a provider below to run real models.
                </p>
              </>
            ) : (
              <p className="font-medium text-sm">{settings.effective.modelLabel}</p>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Knowledge search</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            <EmbeddingStatusView status={embeddings} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Provider, budgets, standards and code execution</h2>
            </CardTitle>
            <CardDescription>
              API keys are encrypted at rest (AES-256-GCM) and never sent back to the browser.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <AiSettingsForm orgSlug={ctx.org.slug} settings={settings} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
