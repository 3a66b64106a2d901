"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { DownloadIcon, ScrollTextIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { AuditFilterValues, AuditLogEntry, AuditPage } from "@/lib/audit/types";
import { auditKeys } from "@/lib/audit/types";
import { formatDate } from "@/lib/utils";

type AuditLogProps = {
  org: string;
  /** Every action name, for the filter. */
  actions: readonly string[];
  /** The filters in the page's URL. */
  filters: AuditFilterValues;
  /** Field messages when the URL's filters are invalid (nothing is loaded then). */
  invalid?: Record<string, string[]>;
};

// Radix Select items cannot have an empty value.
const ALL_ACTIONS = "all";

function filterParams(f: AuditFilterValues): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(f)) if (value) params.set(key, value);
  return params;
}

async function fetchPage(org: string, f: AuditFilterValues, cursor: string | null, signal: AbortSignal) {
  const params = filterParams(f);
  if (cursor) params.set("cursor", cursor);
  const res = await fetch(`/api/orgs/${org}/audit?${params}`, { signal });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? "Could not load the audit log.");
  return body as AuditPage;
}

const time = (iso: string) =>
  formatDate(iso, { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC", hourCycle: "h23" });

function Target({ entry }: { entry: AuditLogEntry }) {
  if (!entry.targetType) return <span className="text-muted-foreground">—</span>;
  const m = entry.metadata;
  const label = [m.name, m.email, m.slug].find((v): v is string => typeof v === "string" && v !== "");
  const changed = Array.isArray(m.changed) ? m.changed.filter((c): c is string => typeof c === "string") : [];
  return (
    <div
      className="grid gap-0.5"
      title={entry.targetId ? `${entry.targetType} ${entry.targetId}` : undefined}
    >
      <span>
        <span className="text-muted-foreground">{entry.targetType}</span>{" "}
        {label ?? <span className="font-mono text-xs">{entry.targetId?.slice(0, 8)}</span>}
      </span>
      {changed.length > 0 && (
        <span className="text-muted-foreground text-xs">changed {changed.join(", ")}</span>
      )}
    </div>
  );
}

/** The audit log with filters kept in the URL, 50 entries a page, and a CSV export of the same filters. */
export function AuditLog({ org, actions, filters, invalid }: AuditLogProps) {
  const router = useRouter();
  const [navigating, startTransition] = useTransition();

  const log = useInfiniteQuery({
    queryKey: auditKeys.list(org, filters),
    queryFn: ({ pageParam, signal }) => fetchPage(org, filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: !invalid,
  });
  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];
  const filtered = Object.values(filters).some(Boolean);
  const exportHref = `/api/orgs/${org}/audit?${new URLSearchParams([["format", "csv"], ...filterParams(filters)])}`;

  function apply(form: FormData) {
    const action = String(form.get("action") ?? "");
    const next: AuditFilterValues = {
      action: action === ALL_ACTIONS ? "" : action,
      actor: String(form.get("actor") ?? "").trim(),
      from: String(form.get("from") ?? ""),
      to: String(form.get("to") ?? ""),
    };
    const query = filterParams(next).toString();
    startTransition(() => router.push(query ? `/${org}/audit?${query}` : `/${org}/audit`));
  }

  return (
    <div className="grid grid-cols-1 gap-6">
      <form
        // Remount on navigation so the inputs show the URL's filters (back/forward included).
        key={JSON.stringify(filters)}
        className="grid gap-4 rounded-xl border p-4 sm:grid-cols-2 lg:grid-cols-[repeat(4,minmax(0,1fr))_auto]"
        onSubmit={(event) => {
          event.preventDefault();
          apply(new FormData(event.currentTarget));
        }}
      >
        <FormField label="Action" htmlFor="audit-action" error={invalid?.action}>
          <Select name="action" defaultValue={filters.action || ALL_ACTIONS}>
            <SelectTrigger id="audit-action" className="w-full">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={ALL_ACTIONS}>All actions</SelectItem>
              {actions.map((a) => (
                <SelectItem key={a} value={a}>
                  <span className="font-mono text-xs">{a}</span>
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </FormField>
        <FormField label="Actor email" htmlFor="audit-actor" error={invalid?.actor}>
          <Input
            id="audit-actor"
            name="actor"
            type="search"
            placeholder="name@company.com"
            maxLength={320}
            defaultValue={filters.actor}
          />
        </FormField>
        <FormField label="From (UTC)" htmlFor="audit-from" error={invalid?.from}>
          <Input id="audit-from" name="from" type="date" defaultValue={filters.from} />
        </FormField>
        <FormField label="To (UTC)" htmlFor="audit-to" error={invalid?.to}>
          <Input id="audit-to" name="to" type="date" defaultValue={filters.to} />
        </FormField>
        <div className="flex items-end gap-2">
          <Button type="submit" disabled={navigating}>
            {navigating && <Spinner />}
            Apply
          </Button>
          {filtered && (
            <Button asChild variant="ghost">
              <Link href={`/${org}/audit`}>Reset</Link>
            </Button>
          )}
        </div>
      </form>

      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-muted-foreground text-sm" aria-live="polite">
          {invalid
            ? "Fix the filters to see entries."
            : log.isPending
              ? "Loading…"
              : `${entries.length}${log.hasNextPage ? "+" : ""} ${entries.length === 1 ? "entry" : "entries"}${filtered ? " match these filters" : ""}`}
        </p>
        {invalid ? (
          <Button variant="outline" disabled>
            <DownloadIcon />
            Export CSV
          </Button>
        ) : (
          <Button asChild variant="outline">
            {/* A plain link: the browser downloads the attachment with the session cookie. */}
            <a href={exportHref} download>
              <DownloadIcon />
              Export CSV
            </a>
          </Button>
        )}
      </div>

      {invalid ? (
        <Alert variant="destructive">
          <AlertTitle>These filters are not valid</AlertTitle>
          <AlertDescription>Correct the fields marked above, or reset the filters.</AlertDescription>
        </Alert>
      ) : log.isError ? (
        <Alert variant="destructive">
          <AlertDescription>{log.error.message}</AlertDescription>
        </Alert>
      ) : log.isPending ? (
        <div className="flex justify-center py-12">
          <Spinner />
        </div>
      ) : entries.length === 0 ? (
        <EmptyState
          icon={<ScrollTextIcon />}
          title={filtered ? "No entries match these filters" : "No audit entries yet"}
          description={
            filtered
              ? "Widen the dates or clear a filter."
              : "Sign-ins, membership changes, project changes and settings changes are recorded here."
          }
        />
      ) : (
        <div className="rounded-xl border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Time (UTC)</TableHead>
                <TableHead>Actor</TableHead>
                <TableHead>Action</TableHead>
                <TableHead>Target</TableHead>
                <TableHead>IP</TableHead>
                <TableHead>User agent</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {entries.map((e) => (
                <TableRow key={e.id} className="align-top">
                  <TableCell className="whitespace-nowrap">
                    <time dateTime={e.createdAt}>{time(e.createdAt)}</time>
                  </TableCell>
                  <TableCell className="max-w-56 truncate" title={e.actorEmail ?? undefined}>
                    {e.actorEmail ?? <span className="text-muted-foreground">—</span>}
                  </TableCell>
                  <TableCell>
                    <Badge variant="outline" className="font-mono">
                      {e.action}
                    </Badge>
                  </TableCell>
                  <TableCell className="max-w-64 whitespace-normal">
                    <Target entry={e} />
                  </TableCell>
                  <TableCell className="whitespace-nowrap font-mono text-xs">
                    {e.ip ?? <span className="text-muted-foreground">—</span>}
                  </TableCell>
                  <TableCell
                    className="max-w-48 truncate text-muted-foreground text-xs"
                    title={e.userAgent ?? undefined}
                  >
                    {e.userAgent ?? "—"}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}

      {log.hasNextPage && (
        <div className="flex justify-center">
          <Button variant="outline" onClick={() => log.fetchNextPage()} disabled={log.isFetchingNextPage}>
            {log.isFetchingNextPage && <Spinner />}
            Load 50 more
          </Button>
        </div>
      )}
    </div>
  );
}
