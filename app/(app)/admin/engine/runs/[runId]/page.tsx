import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { formatDuration, prettyJson } from "@/components/engine/format";
import { RunActions } from "@/components/engine/run-actions";
import { RunStatusBadge } from "@/components/engine/run-status-badge";
import { RunsTable } from "@/components/engine/runs-table";
import { StepTimeline } from "@/components/engine/step-timeline";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { getRunDetail } from "@/lib/engine/queries";
import { formatDateTime } from "@/lib/utils";
import { requireInstanceAdmin } from "../../instance-admin";

export const metadata: Metadata = { title: "Engine run" };

type Props = { params: Promise<{ runId: string }> };

export default async function EngineRunPage({ params }: Props) {
  await connection();
  await requireInstanceAdmin();
  const { runId } = await params;
  const run = await getRunDetail(await getDb(), runId);
  if (!run) notFound();

  return (
    <>
      <PageHeader
        title={<span className="font-mono text-xl">{run.id}</span>}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-mono">{run.functionId}</span>
            <RunStatusBadge status={run.status} />
            <span>
              {formatDateTime(run.createdAt)} · {formatDuration(run.durationMs)} · {run.attempts + 1} attempt
              {run.attempts ? "s" : ""}
            </span>
            {run.replayOf && (
              <Link href={`/admin/engine/runs/${run.replayOf}`} className="underline underline-offset-4">
                replay of {run.replayOf}
              </Link>
            )}
            {run.parentRunId && (
              <Link href={`/admin/engine/runs/${run.parentRunId}`} className="underline underline-offset-4">
                invoked by {run.parentRunId}
              </Link>
            )}
          </span>
        }
        actions={<RunActions runId={run.id} status={run.status} />}
      />
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <section aria-labelledby="steps-heading" className="grid content-start gap-3">
          <h2 id="steps-heading" className="font-semibold">
            Steps
          </h2>
          <StepTimeline steps={run.steps} runStart={run.startedAt ?? run.createdAt} />
        </section>
        <div className="grid content-start gap-4">
          {run.error && (
            <Card>
              <CardHeader>
                <CardTitle>Error</CardTitle>
              </CardHeader>
              <CardContent>
                <pre className="max-h-80 overflow-auto whitespace-pre-wrap text-destructive text-xs">
                  {`${run.error.name ?? "Error"}: ${run.error.message ?? ""}`}
                </pre>
              </CardContent>
            </Card>
          )}
          {run.output !== null && (
            <Card>
              <CardHeader>
                <CardTitle>Output</CardTitle>
              </CardHeader>
              <CardContent>
                <pre className="max-h-80 overflow-auto text-xs">{prettyJson(run.output)}</pre>
              </CardContent>
            </Card>
          )}
          <Card>
            <CardHeader>
              <CardTitle>Event</CardTitle>
            </CardHeader>
            <CardContent>
              <pre className="max-h-80 overflow-auto text-xs">{prettyJson(run.event)}</pre>
            </CardContent>
          </Card>
        </div>
      </div>
      {(run.children.length > 0 || run.replays.length > 0) && (
        <section aria-labelledby="related-heading" className="mt-8 grid gap-3">
          <h2 id="related-heading" className="font-semibold">
            Related runs
          </h2>
          <RunsTable runs={[...run.children, ...run.replays]} />
        </section>
      )}
    </>
  );
}
