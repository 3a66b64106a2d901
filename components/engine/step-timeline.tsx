import type { StepView } from "@/lib/engine/queries";
import { formatDuration, prettyJson } from "./format";
import { RunStatusBadge } from "./run-status-badge";

const OP_LABELS: Record<string, string> = {
  run: "step.run",
  sleep: "sleep",
  wait: "waitForEvent",
  invoke: "invoke",
  sendEvent: "sendEvent",
};

function detail(step: StepView): string | null {
  const o = step.opts ?? {};
  if (step.op === "sleep" && o.until) return `until ${o.until}`;
  if (step.op === "wait" && o.event) return `for ${o.event}${o.if ? ` where ${o.if}` : ""}, until ${o.until}`;
  if (step.op === "invoke" && o.functionId) return `${o.functionId}`;
  return null;
}

/** Steps in the order they started, with offset from the run's start, duration, attempt and result. */
export function StepTimeline({ steps, runStart }: { steps: StepView[]; runStart: Date }) {
  if (!steps.length) return <p className="text-muted-foreground text-sm">No steps yet.</p>;
  return (
    <ol className="grid gap-3">
      {steps.map((step) => {
        const extra = detail(step);
        return (
          <li key={step.hashedId} className="rounded-lg border p-3">
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
              <span className="font-medium">{step.name}</span>
              <span className="font-mono text-muted-foreground text-xs">{OP_LABELS[step.op] ?? step.op}</span>
              <RunStatusBadge status={step.status} />
              <span className="ml-auto flex gap-3 text-muted-foreground text-xs tabular-nums">
                <span title={step.startedAt.toISOString()}>
                  +{formatDuration(Math.max(0, step.startedAt.getTime() - runStart.getTime()))}
                </span>
                <span>{formatDuration(step.durationMs)}</span>
                <span>attempt {step.attempt + 1}</span>
              </span>
            </div>
            {extra && <p className="mt-1 text-muted-foreground text-xs">{extra}</p>}
            {step.error && (
              <pre className="mt-2 max-h-64 overflow-auto whitespace-pre-wrap rounded-md bg-destructive/10 p-2 text-destructive text-xs">
                {`${step.error.name ?? "Error"}: ${step.error.message ?? ""}`}
              </pre>
            )}
            {step.output !== null && (
              <details className="mt-2">
                <summary className="cursor-pointer text-muted-foreground text-xs">Output</summary>
                <pre className="mt-1 max-h-64 overflow-auto rounded-md bg-muted p-2 text-xs">
                  {prettyJson(step.output)}
                </pre>
              </details>
            )}
          </li>
        );
      })}
    </ol>
  );
}
