"use client";

import { BarChart3Icon } from "lucide-react";
import type * as React from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from "recharts";
import { DemoModelBadge } from "@/components/runs/demo-model-badge";
import {
  type AgentNames,
  agentLabel,
  formatCost,
  formatNumber,
  formatTokens,
} from "@/components/runs/format";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { DEMO_MODEL_ID } from "@/lib/ai/demo-label";
import { cn } from "@/lib/utils";

type UsageNumbers = { inputTokens: number; outputTokens: number; costUsd: number };

export type UsageChartsProps = {
  /** One row per day (`YYYY-MM-DD`), oldest first. */
  byDay: ({ day: string } & UsageNumbers)[];
  byAgent: ({ agentSlug: string } & UsageNumbers)[];
  byModel: ({ modelId: string } & UsageNumbers)[];
  agentNames?: AgentNames;
  className?: string;
};

const MAX_BARS = 10;

// Theme tokens, so the charts follow light and dark mode.
const COLORS = {
  input: "var(--primary)",
  output: "color-mix(in oklch, var(--primary) 45%, var(--background))",
  cost: "var(--success)",
  grid: "var(--border)",
  text: "var(--muted-foreground)",
};

const axisTick = { fill: COLORS.text, fontSize: 12 };

const dayLabel = (day: string) =>
  new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" }).format(
    new Date(`${day}T00:00:00Z`),
  );

const modelLabel = (modelId: string) => (modelId === DEMO_MODEL_ID ? "Demo model (scripted)" : modelId);

type Row = UsageNumbers & { label: string };

function ChartTooltip({ active, payload, label }: TooltipContentProps) {
  if (!active || !payload?.length) return null;
  const row = payload[0]?.payload as Row | undefined;
  if (!row) return null;
  return (
    <div className="rounded-md border bg-popover px-3 py-2 text-popover-foreground text-xs shadow-md">
      <p className="mb-1 font-medium">{row.label ?? label}</p>
      <dl className="grid grid-cols-[auto_auto] gap-x-4 gap-y-0.5 tabular-nums">
        <dt className="text-muted-foreground">Input tokens</dt>
        <dd className="text-right">{formatNumber(row.inputTokens)}</dd>
        <dt className="text-muted-foreground">Output tokens</dt>
        <dd className="text-right">{formatNumber(row.outputTokens)}</dd>
        <dt className="text-muted-foreground">Cost</dt>
        <dd className="text-right">{formatCost(row.costUsd)}</dd>
      </dl>
    </div>
  );
}

/** The chart's numbers as a table for screen readers. */
function DataTable({ caption, rows }: { caption: string; rows: Row[] }) {
  return (
    <table className="sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Input tokens</th>
          <th scope="col">Output tokens</th>
          <th scope="col">Cost</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <th scope="row">{row.label}</th>
            <td>{formatNumber(row.inputTokens)}</td>
            <td>{formatNumber(row.outputTokens)}</td>
            <td>{formatCost(row.costUsd)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ChartCard({
  title,
  description,
  children,
  className,
}: {
  title: string;
  description?: React.ReactNode;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <Card className={cn("gap-4", className)}>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        {description && <CardDescription>{description}</CardDescription>}
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}

const legendFormatter = (value: string) => <span className="text-muted-foreground text-xs">{value}</span>;

/** Horizontal stacked bars of input and output tokens, largest first. */
function TokenBars({ rows, caption }: { rows: Row[]; caption: string }) {
  const top = [...rows]
    .sort((a, b) => b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens))
    .slice(0, MAX_BARS);
  return (
    <>
      <div className="w-full" style={{ height: Math.max(160, top.length * 36 + 48) }} aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={top} layout="vertical" margin={{ left: 8, right: 16 }} accessibilityLayer={false}>
            <CartesianGrid horizontal={false} stroke={COLORS.grid} />
            <XAxis type="number" tickFormatter={formatTokens} tick={axisTick} stroke={COLORS.grid} />
            <YAxis type="category" dataKey="label" width={150} tick={axisTick} stroke={COLORS.grid} />
            <Tooltip content={ChartTooltip} cursor={{ fill: "var(--muted)", opacity: 0.6 }} />
            <Legend formatter={legendFormatter} />
            <Bar dataKey="inputTokens" name="Input tokens" stackId="tokens" fill={COLORS.input} />
            <Bar
              dataKey="outputTokens"
              name="Output tokens"
              stackId="tokens"
              fill={COLORS.output}
              radius={[0, 4, 4, 0]}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <DataTable caption={caption} rows={top} />
    </>
  );
}

/** Token and cost charts by day, by agent and by model. */
export function UsageCharts({ byDay, byAgent, byModel, agentNames, className }: UsageChartsProps) {
  const dayRows: Row[] = byDay.map((d) => ({ ...d, label: dayLabel(d.day) }));
  const agentRows: Row[] = byAgent.map((a) => ({ ...a, label: agentLabel(a.agentSlug, agentNames) }));
  const modelRows: Row[] = byModel.map((m) => ({ ...m, label: modelLabel(m.modelId) }));
  const usesDemo = byModel.some((m) => m.modelId === DEMO_MODEL_ID);

  if (dayRows.length + agentRows.length + modelRows.length === 0) {
    return (
      <EmptyState
        className={className}
        icon={<BarChart3Icon />}
        title="No usage yet"
        description="Token use and cost appear here once runs have called a model."
      />
    );
  }

  return (
    <div className={cn("grid gap-4 lg:grid-cols-2", className)}>
      <ChartCard
        title="Tokens per day"
        description="Input and output tokens across all runs."
        className="lg:col-span-2"
      >
        <div className="h-64 w-full" aria-hidden="true">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={dayRows} margin={{ left: 8, right: 8 }} accessibilityLayer={false}>
              <CartesianGrid vertical={false} stroke={COLORS.grid} />
              <XAxis dataKey="label" tick={axisTick} stroke={COLORS.grid} minTickGap={16} />
              <YAxis tickFormatter={formatTokens} tick={axisTick} stroke={COLORS.grid} width={48} />
              <Tooltip content={ChartTooltip} cursor={{ fill: "var(--muted)", opacity: 0.6 }} />
              <Legend formatter={legendFormatter} />
              <Bar dataKey="inputTokens" name="Input tokens" stackId="tokens" fill={COLORS.input} />
              <Bar
                dataKey="outputTokens"
                name="Output tokens"
                stackId="tokens"
                fill={COLORS.output}
                radius={[4, 4, 0, 0]}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <DataTable caption="Tokens and cost per day" rows={dayRows} />
      </ChartCard>

      <ChartCard
        title="Cost per day"
        description="From the price table; local and demo models cost nothing."
        className="lg:col-span-2"
      >
        <div className="h-48 w-full" aria-hidden="true">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={dayRows} margin={{ left: 8, right: 8 }} accessibilityLayer={false}>
              <CartesianGrid vertical={false} stroke={COLORS.grid} />
              <XAxis dataKey="label" tick={axisTick} stroke={COLORS.grid} minTickGap={16} />
              <YAxis
                tickFormatter={(v: number) => formatCost(v)}
                tick={axisTick}
                stroke={COLORS.grid}
                width={64}
              />
              <Tooltip content={ChartTooltip} cursor={{ stroke: COLORS.grid }} />
              <Line
                type="monotone"
                dataKey="costUsd"
                name="Cost"
                stroke={COLORS.cost}
                strokeWidth={2}
                dot={dayRows.length < 20}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </ChartCard>

      <ChartCard title="By agent" description={`Top ${MAX_BARS} agents by tokens.`}>
        {agentRows.length ? (
          <TokenBars rows={agentRows} caption="Tokens and cost by agent" />
        ) : (
          <p className="text-muted-foreground text-sm">No agent usage in this period.</p>
        )}
      </ChartCard>

      <ChartCard
        title="By model"
        description={
          <span className="flex flex-col items-start gap-2">
            Top {MAX_BARS} models by tokens.
            {usesDemo && <DemoModelBadge />}
          </span>
        }
      >
        {modelRows.length ? (
          <TokenBars rows={modelRows} caption="Tokens and cost by model" />
        ) : (
          <p className="text-muted-foreground text-sm">No model usage in this period.</p>
        )}
      </ChartCard>
    </div>
  );
}
