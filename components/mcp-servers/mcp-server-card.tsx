"use client";

import { useMutation } from "@tanstack/react-query";
import { PencilIcon, RefreshCwIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { deleteMcpServerAction, refreshMcpToolsAction } from "@/app/(app)/[org]/settings/mcp/actions";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import type { McpServerSummary } from "@/lib/mcp-client/schemas";
import { formatDateTime } from "@/lib/utils";
import { McpServerForm } from "./mcp-server-form";
import { ToolGrantsGrid } from "./tool-grants-grid";

type McpServerCardProps = {
  orgSlug: string;
  server: McpServerSummary;
  agents: { slug: string; name: string }[];
};

/** One registered server: its state, refresh, edit, delete, and its tools' grants to agents. */
export function McpServerCard({ orgSlug, server, agents }: McpServerCardProps) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const refresh = useMutation({
    mutationFn: () => refreshMcpToolsAction(orgSlug, { id: server.id }),
    onSuccess: (result) => {
      if (!result.ok) toast.error(result.error.message);
      else if (result.data.lastError) toast.error(`Listing the tools failed: ${result.data.lastError}`);
      else toast.success(`${result.data.tools.length} tools listed.`);
      router.refresh();
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  const remove = useMutation({
    mutationFn: () => deleteMcpServerAction(orgSlug, { id: server.id }),
    onSuccess: (result) => {
      if (!result.ok) {
        toast.error(result.error.message);
        return;
      }
      setConfirming(false);
      toast.success(`${server.name} removed.`);
      router.refresh();
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });

  return (
    <Card data-testid="mcp-server">
      <CardHeader>
        <CardTitle>
          <h2 className="flex items-center gap-2">
            {server.name}
            {server.enabled ? (
              <Badge variant="secondary">Enabled</Badge>
            ) : (
              <Badge variant="outline">Disabled</Badge>
            )}
          </h2>
        </CardTitle>
        <CardDescription className="grid gap-0.5">
          <span className="break-all font-mono text-xs">{server.url}</span>
          <span>
            {`${server.tools.length} ${server.tools.length === 1 ? "tool" : "tools"} · refreshed `}
            {server.toolsRefreshedAt ? (
              <time dateTime={server.toolsRefreshedAt}>{formatDateTime(server.toolsRefreshedAt)}</time>
            ) : (
              "never"
            )}
            {server.headerNames.length ? ` · headers: ${server.headerNames.join(", ")}` : ""}
          </span>
        </CardDescription>
        <CardAction className="flex gap-2">
          <Button variant="outline" size="sm" disabled={refresh.isPending} onClick={() => refresh.mutate()}>
            {refresh.isPending ? <Spinner /> : <RefreshCwIcon />}
            Refresh tools
          </Button>
          <Button variant="outline" size="sm" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
            <PencilIcon />
            Edit
          </Button>
          <AlertDialog open={confirming} onOpenChange={setConfirming}>
            <AlertDialogTrigger asChild>
              <Button variant="ghost" size="sm" aria-label={`Delete ${server.name}`}>
                <Trash2Icon />
              </Button>
            </AlertDialogTrigger>
            <AlertDialogContent>
              <AlertDialogHeader>
                <AlertDialogTitle>Delete {server.name}?</AlertDialogTitle>
                <AlertDialogDescription>
                  Its tools are no longer offered to any agent, and their grants are removed.
                </AlertDialogDescription>
              </AlertDialogHeader>
              <AlertDialogFooter>
                <AlertDialogCancel disabled={remove.isPending}>Cancel</AlertDialogCancel>
                <Button variant="destructive" disabled={remove.isPending} onClick={() => remove.mutate()}>
                  {remove.isPending && <Spinner />}
                  Delete server
                </Button>
              </AlertDialogFooter>
            </AlertDialogContent>
          </AlertDialog>
        </CardAction>
      </CardHeader>
      <CardContent className="grid gap-4">
        {server.lastError && (
          <Alert variant="destructive">
            <AlertTitle>The last refresh failed</AlertTitle>
            <AlertDescription>{server.lastError}</AlertDescription>
          </Alert>
        )}
        {editing && <McpServerForm orgSlug={orgSlug} server={server} onDone={() => setEditing(false)} />}
        <div className="grid gap-2">
          <h3 className="font-medium text-sm">Tools granted to agents</h3>
          <ToolGrantsGrid
            key={JSON.stringify(server.grants)}
            orgSlug={orgSlug}
            server={server}
            agents={agents}
          />
        </div>
      </CardContent>
    </Card>
  );
}
