import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { Metadata } from "next";
import { AuditLog } from "@/components/audit/audit-log";
import { NoAccess } from "@/components/states/no-access";
import { PageHeader } from "@/components/ui/page-header";
import { listAuditEntries } from "@/lib/audit/list-entries";
import { AUDIT_ACTIONS } from "@/lib/audit/log";
import { auditQuerySchema } from "@/lib/audit/schemas";
import { type AuditFilterValues, auditKeys } from "@/lib/audit/types";
import { fieldErrorsFromZod } from "@/lib/errors";
import { orgPageContext } from "@/lib/orgs/page-context";

export const metadata: Metadata = { title: "Audit log" };

type Props = {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));

export default async function AuditPage({ params, searchParams }: Props) {
  const { org } = await params;
  const ctx = await orgPageContext(org, "audit.read", `/${org}/audit`);
  if (!ctx) return <NoAccess orgSlug={org} description="Only owners and admins can read the audit log." />;

  const raw = await searchParams;
  const filters: AuditFilterValues = {
    action: first(raw.action),
    actor: first(raw.actor),
    from: first(raw.from),
    to: first(raw.to),
  };
  const parsed = auditQuerySchema.safeParse(filters);
  const queryClient = new QueryClient();
  if (parsed.success) {
    const { cursor: _cursor, format: _format, ...valid } = parsed.data;
    await queryClient.prefetchInfiniteQuery({
      queryKey: auditKeys.list(org, filters),
      queryFn: () => listAuditEntries(ctx, valid),
      initialPageParam: null,
    });
  }

  return (
    <>
      <PageHeader title="Audit log" description="Who did what in this organization, when, and from where." />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <AuditLog
          org={org}
          actions={AUDIT_ACTIONS}
          filters={filters}
          invalid={parsed.success ? undefined : fieldErrorsFromZod(parsed.error)}
        />
      </HydrationBoundary>
    </>
  );
}
