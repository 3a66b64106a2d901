"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { setToolGrantsAction } from "@/app/(app)/[org]/settings/mcp/actions";
import { Checkbox } from "@/components/ui/checkbox";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { McpServerSummary } from "@/lib/mcp-client/schemas";

type ToolGrantsGridProps = {
  orgSlug: string;
  server: McpServerSummary;
  agents: { slug: string; name: string }[];
};

/** Which agents are offered which of the server's tools: one checkbox per agent and tool. */
export function ToolGrantsGrid({ orgSlug, server, agents }: ToolGrantsGridProps) {
  const router = useRouter();
  const [grants, setGrants] = useState<Record<string, string[]>>(server.grants);
  const toolsOf = (slug: string) =>
    server.tools.map((t) => t.name).filter((name) => grants[name]?.includes(slug));

  const save = useMutation({
    mutationFn: (input: { agentSlug: string; toolNames: string[] }) =>
      setToolGrantsAction(orgSlug, { serverId: server.id, ...input }),
    onSuccess: (result) => {
      if (!result.ok) {
        toast.error(Object.values(result.error.fieldErrors ?? {}).flat()[0] ?? result.error.message);
        setGrants(server.grants);
        return;
      }
      setGrants(result.data.grants);
      router.refresh();
    },
    onError: () => {
      setGrants(server.grants);
      toast.error("Could not reach the server. Check your connection and try again.");
    },
  });

  const toggle = (slug: string, tool: string, on: boolean) => {
    const next = on ? [...toolsOf(slug), tool] : toolsOf(slug).filter((t) => t !== tool);
    setGrants((g) => {
      const copy = { ...g };
      const list = (copy[tool] ?? []).filter((s) => s !== slug);
      copy[tool] = on ? [...list, slug] : list;
      return copy;
    });
    save.mutate({ agentSlug: slug, toolNames: next });
  };

  if (!server.tools.length) {
    return (
      <p className="text-muted-foreground text-sm">
        No tools listed yet. Refresh to list the server's tools.
      </p>
    );
  }
  return (
    <div className="max-h-[28rem] overflow-auto rounded-md border">
      <Table>
        <TableHeader className="sticky top-0 bg-background">
          <TableRow>
            <TableHead>Agent</TableHead>
            {server.tools.map((t) => (
              <TableHead key={t.name} className="text-center font-mono text-xs" title={t.description}>
                {t.name}
              </TableHead>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {agents.map((agent) => (
            <TableRow key={agent.slug}>
              <TableCell>
                <span className="font-medium">{agent.name}</span>{" "}
                <span className="font-mono text-muted-foreground text-xs">{agent.slug}</span>
              </TableCell>
              {server.tools.map((t) => (
                <TableCell key={t.name} className="text-center">
                  <Checkbox
                    aria-label={`Offer ${t.name} to ${agent.name}`}
                    checked={grants[t.name]?.includes(agent.slug) ?? false}
                    disabled={save.isPending}
                    onCheckedChange={(v) => toggle(agent.slug, t.name, v === true)}
                  />
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
