import type { Metadata } from "next";
import { McpServerCard } from "@/components/mcp-servers/mcp-server-card";
import { McpServerForm } from "@/components/mcp-servers/mcp-server-form";
import { NoAccess } from "@/components/states/no-access";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { listGrantableAgents } from "@/lib/mcp-client/grantable-agents";
import { listMcpServers } from "@/lib/mcp-client/list-mcp-servers";
import { orgPageContext } from "@/lib/orgs/page-context";

export const metadata: Metadata = { title: "MCP servers" };

type Props = { params: Promise<{ org: string }> };

export default async function McpServersPage({ params }: Props) {
  const { org } = await params;
  const ctx = await orgPageContext(org, "integrations.manage", `/${org}/settings/mcp`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const [servers, agents] = await Promise.all([listMcpServers(ctx), listGrantableAgents(ctx)]);

  return (
    <>
      <PageHeader
        title="MCP servers"
        description="Give your agents tools from external MCP servers (streamable HTTP). Granted tools are offered to an agent during runs beside its built-in ones; their calls and results appear in the run's feed."
      />
      <div className="grid max-w-5xl gap-6">
        {servers.map((server) => (
          <McpServerCard key={server.id} orgSlug={ctx.org.slug} server={server} agents={agents} />
        ))}
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Add a server</h2>
            </CardTitle>
            <CardDescription>
              Its tools are listed when you add it. Nothing is offered to an agent until you grant it below.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <McpServerForm orgSlug={ctx.org.slug} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
