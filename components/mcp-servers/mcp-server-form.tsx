"use client";

import { useMutation } from "@tanstack/react-query";
import { PlusIcon, XIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { createMcpServerAction, updateMcpServerAction } from "@/app/(app)/[org]/settings/mcp/actions";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { SubmitButton } from "@/components/ui/submit-button";
import { Switch } from "@/components/ui/switch";
import type { McpServerSummary } from "@/lib/mcp-client/schemas";

type HeaderRow = { key: number; name: string; value: string; stored: boolean };

type McpServerFormProps = {
  orgSlug: string;
  /** The server being edited; a new one is registered without it. */
  server?: McpServerSummary;
  onDone?: () => void;
};

let nextKey = 0;

/** Add or edit an MCP server: name, URL, enabled, and headers as name/value rows (stored values never shown). */
export function McpServerForm({ orgSlug, server, onDone }: McpServerFormProps) {
  const router = useRouter();
  const [name, setName] = useState(server?.name ?? "");
  const [url, setUrl] = useState(server?.url ?? "");
  const [enabled, setEnabled] = useState(server?.enabled ?? true);
  const [headers, setHeaders] = useState<HeaderRow[]>(
    (server?.headerNames ?? []).map((n) => ({ key: nextKey++, name: n, value: "", stored: true })),
  );

  const save = useMutation({
    mutationFn: () => {
      const rows = headers.map((h) => ({ name: h.name.trim(), value: h.value }));
      return server
        ? updateMcpServerAction(orgSlug, { id: server.id, name, url, enabled, headers: rows })
        : createMcpServerAction(orgSlug, { name, url, enabled, headers: rows });
    },
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      if (server) toast.success("MCP server saved.");
      else if (result.data.lastError)
        toast.warning(`Server added, but listing its tools failed: ${result.data.lastError}`);
      else toast.success(`Server added with ${result.data.tools.length} tools.`);
      if (!server) {
        setName("");
        setUrl("");
        setHeaders([]);
      }
      onDone?.();
      router.refresh();
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  const error = save.data && !save.data.ok ? save.data.error : null;
  const fieldErrors = error?.fieldErrors ?? {};
  const idPrefix = server ? `mcp-${server.id}` : "mcp-new";
  const headerErrors = Object.entries(fieldErrors)
    .filter(([k]) => k === "headers" || k.startsWith("headers."))
    .flatMap(([k, messages]) => {
      const row = /^headers\.(\d+)/.exec(k)?.[1];
      const label = row === undefined ? "" : `${headers[Number(row)]?.name || `Header ${Number(row) + 1}`}: `;
      return messages.map((m) => `${label}${m}`);
    });

  const update = (key: number, patch: Partial<HeaderRow>) =>
    setHeaders((rows) => rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  return (
    <form
      noValidate
      className="grid gap-5"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      {error?.fieldErrors && (
        <Alert variant="destructive">
          <AlertDescription>{error.message}</AlertDescription>
        </Alert>
      )}
      <FormField
        label="Name"
        htmlFor={`${idPrefix}-name`}
        error={fieldErrors.name}
        hint="Agents see its tools as mcp__<name>__<tool>."
      >
        <Input
          id={`${idPrefix}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          autoComplete="off"
          placeholder="Tickets"
        />
      </FormField>
      <FormField
        label="URL"
        htmlFor={`${idPrefix}-url`}
        error={fieldErrors.url}
        hint={
          server
            ? "The server's streamable HTTP endpoint (https). Moving it to another host or port keeps no stored header value (re-enter them) and clears its tools' grants."
            : "The server's streamable HTTP endpoint (https). Internal addresses are refused."
        }
      >
        <Input
          id={`${idPrefix}-url`}
          type="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          required
          spellCheck={false}
          autoComplete="off"
          placeholder="https://mcp.example.com/mcp"
        />
      </FormField>
      <fieldset className="grid gap-2">
        <legend className="mb-1 font-medium text-sm">Headers</legend>
        <p className="text-muted-foreground text-sm">
          Sent with every request, e.g. <code>Authorization</code> = <code>Bearer …</code>. Stored encrypted;
          values are never shown again
          {server
            ? " — leave a value blank to keep the stored one, unless the URL moves to another host"
            : ""}
          .
        </p>
        {headers.map((row, index) => (
          <div key={row.key} className="flex items-center gap-2">
            <Input
              aria-label={`Header ${index + 1} name`}
              className="w-48"
              value={row.name}
              onChange={(e) => update(row.key, { name: e.target.value })}
              spellCheck={false}
              autoComplete="off"
              placeholder="Authorization"
            />
            <Input
              aria-label={`Header ${index + 1} value`}
              type="password"
              className="flex-1"
              value={row.value}
              onChange={(e) => update(row.key, { value: e.target.value })}
              spellCheck={false}
              autoComplete="new-password"
              placeholder={row.stored ? "•••••••• (leave blank to keep)" : "Bearer …"}
            />
            <Button
              type="button"
              variant="ghost"
              size="icon"
              aria-label={`Remove header ${row.name || index + 1}`}
              onClick={() => setHeaders((rows) => rows.filter((r) => r.key !== row.key))}
            >
              <XIcon />
            </Button>
          </div>
        ))}
        <FieldError messages={headerErrors} />
        <div>
          <Button
            type="button"
            variant="outline"
            size="sm"
            onClick={() =>
              setHeaders((rows) => [...rows, { key: nextKey++, name: "", value: "", stored: false }])
            }
          >
            <PlusIcon />
            Add header
          </Button>
        </div>
      </fieldset>
      <div className="flex items-center gap-3">
        <Switch id={`${idPrefix}-enabled`} checked={enabled} onCheckedChange={setEnabled} />
        <Label htmlFor={`${idPrefix}-enabled`}>Enabled (its granted tools are offered in runs)</Label>
      </div>
      <div className="flex gap-2">
        <SubmitButton pending={save.isPending}>{server ? "Save" : "Add server"}</SubmitButton>
        {onDone && (
          <Button type="button" variant="ghost" onClick={onDone} disabled={save.isPending}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
