import { ActivityIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { RunFilters } from "@/components/engine/run-filters";
import { RunsTable } from "@/components/engine/runs-table";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { ENGINE_RUN_STATUSES } from "@/db/schema/engine";
import { runningEngine } from "@/lib/engine/embedded";
import {
  countRunsByStatus,
  listFunctionIds,
  listRuns,
  RUN_PAGE_SIZE,
  runFiltersSchema,
} from "@/lib/engine/queries";
import { requireInstanceAdmin } from "./instance-admin";

export const metadata: Metadata = { title: "Engine runs" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function EngineRunsPage({ searchParams }: Props) {
  await connection();
  await requireInstanceAdmin();
  const raw = await searchParams;
  const parsed = runFiltersSchema.safeParse({
    status: first(raw.status),
    functionId: first(raw.functionId),
    before: first(raw.before),
  });
  const filters = parsed.success ? parsed.data : {};
  const db = await getDb();
  const [runs, functionIds, counts] = await Promise.all([
    listRuns(db, filters),
    listFunctionIds(db),
    countRunsByStatus(db),
  ]);
  const engine = await runningEngine()?.catch(() => undefined);
  const served = engine ? [...engine.registry.functions.keys()] : [];
  const allFunctions = [...new Set([...served, ...functionIds])].sort();
  const last = runs.at(-1);
  const next = new URLSearchParams({
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.functionId ? { functionId: filters.functionId } : {}),
    ...(last ? { before: last.id } : {}),
  });

  return (
    <>
      <PageHeader
        title="Engine runs"
        description={
          engine
            ? `Embedded engine running ${served.length} functions. ${counts.running} running, ${counts.queued} queued, ${counts.failed} failed.`
            : "The embedded engine is not running in this process (ENGINE=inngest?). Stored runs are shown read-only."
        }
      />
      <div className="grid grid-cols-1 gap-4">
        <RunFilters statuses={ENGINE_RUN_STATUSES} functionIds={allFunctions} value={filters} />
        {!parsed.success && (
          <p className="text-destructive text-sm">Some filters were invalid and were ignored.</p>
        )}
        {runs.length === 0 ? (
          <EmptyState
            icon={<ActivityIcon />}
            title="No runs"
            description="No run matches these filters yet."
          />
        ) : (
          <RunsTable runs={runs} />
        )}
        {runs.length === RUN_PAGE_SIZE && (
          <div>
            <Button asChild variant="outline">
              <Link href={`/admin/engine?${next}`}>Older runs</Link>
            </Button>
          </div>
        )}
      </div>
    </>
  );
}
