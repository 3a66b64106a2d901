"use client";

import {
  ArrowDownIcon,
  CheckIcon,
  FileCodeIcon,
  GitCommitHorizontalIcon,
  GitMergeIcon,
  LightbulbIcon,
  RadioIcon,
  ShieldOffIcon,
  WrenchIcon,
} from "lucide-react";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { CheckResult } from "@/components/checks/check-result";
import { CommandOutput } from "@/components/checks/command-output";
import { DemoModelBadge } from "@/components/runs/demo-model-badge";
import { type AgentNames, agentLabel } from "@/components/runs/format";
import { TASK_STATUS_META, TaskStatusLabel } from "@/components/runs/status";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Spinner } from "@/components/ui/spinner";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import type { CheckInfo } from "@/lib/checks/read/check-info";
import type { FeedItem, FeedLane, RunCheck, RunCommand, RunViewTask } from "@/lib/runs/view-state";
import { cn } from "@/lib/utils";

export type LiveFeedProps = {
  /** In the order they started. */
  lanes: FeedLane[];
  tasks: Readonly<Record<string, RunViewTask>>;
  /** Keys of the lanes streaming right now (they get a caret). */
  liveLaneKeys: ReadonlySet<string>;
  agentNames?: AgentNames;
  usesDemoModel?: boolean;
  /** Whether the run can still produce output (changes the empty-state text). */
  active?: boolean;
  /** Sandbox commands and checks the lanes' items refer to (`RunViewState.commands` / `.checks`). */
  commands?: Readonly<Record<string, RunCommand>>;
  checks?: Readonly<Record<string, RunCheck>>;
  /** The stored checks (driver, reason), when loaded. */
  storedChecks?: ReadonlyMap<string, CheckInfo>;
  /** The run's checks route, for the logs. */
  checksUrl?: string;
  sandboxUnavailable?: boolean;
  className?: string;
};

type ExecContext = Pick<
  LiveFeedProps,
  "commands" | "checks" | "storedChecks" | "checksUrl" | "sandboxUnavailable"
>;

/** Near the bottom counts as the bottom: sub-pixel rounding and the caret line. */
const STICK_THRESHOLD_PX = 48;
const MAX_JSON_CHARS = 4_000;

const humanize = (name: string): string => {
  // An external MCP tool (lib/mcp-client/tool-names.ts): its server, then its tool.
  const mcp = /^mcp__(.+?)__(.+)$/.exec(name);
  if (mcp?.[1] && mcp[2]) return `${mcp[1].replace(/_/g, " ")} (MCP) · ${humanize(mcp[2])}`;
  const words = name.replace(/[_-]+/g, " ").trim();
  return words ? (words[0]?.toUpperCase() ?? "") + words.slice(1) : name;
};

/** A short hint of what a tool call is about, e.g. the title of the artifact being written. */
function toolHint(input: unknown): string | null {
  if (typeof input !== "object" || input === null) return null;
  const record = input as Record<string, unknown>;
  for (const key of ["title", "path", "artifactId", "layer", "question"]) {
    const value = record[key];
    if (typeof value === "string" && value.trim()) return value.trim();
  }
  return null;
}

function Json({ label, value }: { label: string; value: unknown }) {
  if (value === undefined) return null;
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  const clipped = text.length > MAX_JSON_CHARS;
  return (
    <div className="space-y-1">
      <div className="font-medium text-muted-foreground text-xs">{label}</div>
      <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-words rounded-md bg-muted/60 p-2 font-mono text-xs">
        {clipped
          ? `${text.slice(0, MAX_JSON_CHARS)}\n… (${text.length - MAX_JSON_CHARS} more characters)`
          : text}
      </pre>
    </div>
  );
}

const CHANGE_LABEL = { added: "Added", modified: "Edited", deleted: "Deleted", moved: "Moved" } as const;

function FileChange({ item }: { item: Extract<FeedItem, { kind: "file" }> }) {
  return (
    <div className="flex items-center gap-2 px-1 text-sm" data-testid="file-change">
      <FileCodeIcon aria-hidden="true" className="size-3.5 shrink-0 text-muted-foreground" />
      <span className="text-muted-foreground">{CHANGE_LABEL[item.change]}</span>
      <span className="min-w-0 truncate font-mono text-xs">
        {item.from ? `${item.from} → ${item.path}` : item.path}
      </span>
      <span className="ml-auto shrink-0 font-mono text-xs">
        <span className="text-success">+{item.added}</span>{" "}
        <span className="text-destructive">−{item.removed}</span>
      </span>
    </div>
  );
}

function ToolCall({ item }: { item: Extract<FeedItem, { kind: "tool" }> }) {
  const hint = toolHint(item.input);
  return (
    <details className="group rounded-md border bg-muted/30 text-sm">
      <summary className="flex cursor-pointer list-none items-center gap-2 px-2.5 py-1.5 marker:hidden [&::-webkit-details-marker]:hidden">
        <WrenchIcon aria-hidden="true" className="size-3.5 shrink-0 text-muted-foreground" />
        <span className="font-medium">{humanize(item.toolName)}</span>
        {hint && <span className="min-w-0 truncate text-muted-foreground">{hint}</span>}
        <span className="ml-auto shrink-0">
          {item.done ? (
            <CheckIcon aria-label="Finished" className="size-3.5 text-success" />
          ) : (
            <Spinner aria-label="Running" className="size-3.5 text-muted-foreground" />
          )}
        </span>
      </summary>
      <div className="space-y-2 border-t px-2.5 py-2">
        <Json label="Input" value={item.input} />
        <Json label="Result" value={item.output} />
      </div>
    </details>
  );
}

function Caret() {
  return (
    <span
      aria-hidden="true"
      className="ml-0.5 inline-block h-[1.1em] w-[0.5em] translate-y-[0.2em] animate-pulse rounded-[1px] bg-primary/80 motion-reduce:animate-none"
    />
  );
}

function LaneTranscript({ lane, live, exec }: { lane: FeedLane; live: boolean; exec: ExecContext }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [stuck, setStuck] = useState(true);
  const last = lane.items[lane.items.length - 1];
  // A running command's output grows the lane as text does.
  const lastText =
    last?.kind === "text"
      ? last.text.length
      : last?.kind === "command"
        ? (exec.commands?.[last.execId]?.output.length ?? 0)
        : 0;

  // Follow new output while the reader is at the bottom; leave them alone once they scroll up.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run whenever the lane grows.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stuck) el.scrollTop = el.scrollHeight;
  }, [stuck, lane.items.length, lastText]);

  return (
    <div className="relative">
      <div
        ref={scroller}
        role="log"
        aria-live="off"
        aria-label="Agent output"
        onScroll={(event) => {
          const el = event.currentTarget;
          setStuck(el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD_PX);
        }}
        className="h-[28rem] max-h-[65vh] space-y-3 overflow-y-auto rounded-lg border bg-card p-4"
      >
        {lane.items.length === 0 && <p className="text-muted-foreground text-sm">Waiting for output…</p>}
        {lane.items.map((item, index) => {
          const isLast = index === lane.items.length - 1;
          if (item.kind === "text") {
            return (
              <p key={item.key} className="whitespace-pre-wrap break-words text-sm leading-relaxed">
                {item.text}
                {live && isLast && <Caret />}
              </p>
            );
          }
          if (item.kind === "tool") return <ToolCall key={item.key} item={item} />;
          if (item.kind === "file") return <FileChange key={item.key} item={item} />;
          if (item.kind === "commit") {
            return (
              <div
                key={item.key}
                className="flex items-center gap-2 rounded-md border border-success/30 bg-success/5 px-3 py-2 text-sm"
              >
                <GitCommitHorizontalIcon aria-hidden="true" className="size-4 shrink-0 text-success" />
                <span className="min-w-0 truncate">
                  {item.files ? "Committed" : "Accepted with no file changes"}{" "}
                  <span className="font-mono text-xs">{item.sha.slice(0, 7)}</span> {item.message}
                </span>
              </div>
            );
          }
          if (item.kind === "conflict") {
            return (
              <div
                key={item.key}
                className="flex gap-2 rounded-md border border-warning/30 bg-warning/5 px-3 py-2 text-sm"
              >
                <GitMergeIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-warning" />
                <p>
                  Merge conflict with work merged meanwhile in{" "}
                  <span className="font-mono text-xs">{item.files.join(", ")}</span>; back to the agent.
                </p>
              </div>
            );
          }
          if (item.kind === "command") {
            const command = exec.commands?.[item.execId];
            return command ? <CommandOutput key={item.key} command={command} /> : null;
          }
          if (item.kind === "check") {
            const check = exec.checks?.[item.checkId];
            return check ? (
              <CheckResult
                key={item.key}
                check={check}
                stored={exec.storedChecks?.get(check.id)}
                checksUrl={exec.checksUrl}
                sandboxUnavailable={exec.sandboxUnavailable}
              />
            ) : null;
          }
          if (item.kind === "sandbox") {
            return (
              <div
                key={item.key}
                data-slot="feed-sandbox-unavailable"
                className="flex gap-2 rounded-md border border-warning/30 bg-warning/5 px-3 py-2 text-sm"
              >
                <ShieldOffIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-warning" />
                <p>{item.message}: the run goes on without execution.</p>
              </div>
            );
          }
          return (
            <div
              key={item.key}
              className="flex gap-2 rounded-md border border-primary/20 bg-primary/5 px-3 py-2 text-sm"
            >
              <LightbulbIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-primary" />
              <p>
                <span className="sr-only">Insight: </span>
                {item.text}
              </p>
            </div>
          );
        })}
        {live && last?.kind !== "text" && lane.items.length > 0 && (
          <p className="text-muted-foreground text-sm">
            <Caret />
          </p>
        )}
      </div>
      {!stuck && (
        <Button
          size="sm"
          variant="secondary"
          className="absolute right-4 bottom-3 shadow-md"
          onClick={() => {
            const el = scroller.current;
            if (el) el.scrollTop = el.scrollHeight;
            setStuck(true);
          }}
        >
          <ArrowDownIcon aria-hidden="true" />
          Jump to latest
        </Button>
      )}
    </div>
  );
}

/**
 * The run's output, one lane per agent and task. In "follow live" mode the feed stays on a
 * streaming lane until it goes quiet, then moves to the next one; choosing a lane stops following.
 */
export function LiveFeed({
  lanes,
  tasks,
  liveLaneKeys,
  agentNames,
  usesDemoModel = false,
  active = true,
  commands,
  checks,
  storedChecks,
  checksUrl,
  sandboxUnavailable,
  className,
}: LiveFeedProps) {
  const exec: ExecContext = { commands, checks, storedChecks, checksUrl, sandboxUnavailable };
  const [follow, setFollow] = useState(true);
  const [selected, setSelected] = useState<string | null>(null);

  const latestLive = lanes.filter((l) => liveLaneKeys.has(l.key)).sort((a, b) => b.lastSeq - a.lastSeq)[0];
  const latest = lanes.reduce<FeedLane | undefined>(
    (a, b) => (a && a.lastSeq >= b.lastSeq ? a : b),
    undefined,
  );

  useEffect(() => {
    if (!follow) return;
    setSelected((current) =>
      current && liveLaneKeys.has(current) ? current : (latestLive?.key ?? latest?.key ?? null),
    );
  }, [follow, liveLaneKeys, latestLive?.key, latest?.key]);

  if (lanes.length === 0) {
    return (
      <div className={cn("space-y-3", className)}>
        {usesDemoModel && <DemoModelBadge variant="banner" />}
        <EmptyState
          icon={<RadioIcon />}
          title="No output yet"
          description={
            active
              ? "Agents' work appears here as it streams: the plan first, then each task."
              : "This run produced no agent output."
          }
        />
      </div>
    );
  }

  const current = lanes.find((l) => l.key === selected) ?? latestLive ?? latest ?? lanes[0];
  if (!current) return null;

  return (
    <div className={cn("space-y-3", className)}>
      {usesDemoModel && <DemoModelBadge variant="banner" />}
      <Tabs
        value={current.key}
        onValueChange={(key) => {
          setSelected(key);
          setFollow(false);
        }}
        orientation="vertical"
        className="gap-3 md:grid md:grid-cols-[15rem_minmax(0,1fr)]"
      >
        <div className="min-w-0 space-y-2">
          <Button
            variant={follow ? "secondary" : "outline"}
            size="sm"
            aria-pressed={follow}
            className="w-full justify-start"
            onClick={() => setFollow((f) => !f)}
          >
            <RadioIcon aria-hidden="true" className={cn(follow && "text-primary")} />
            Follow live output
          </Button>
          <TabsList
            aria-label="Agents"
            className="relative flex h-auto w-full flex-row justify-start gap-1 overflow-x-auto bg-transparent p-0 md:max-h-[26rem] md:flex-col md:items-stretch md:overflow-y-auto"
          >
            {lanes.map((lane) => {
              const task = lane.taskId ? tasks[lane.taskId] : undefined;
              const live = liveLaneKeys.has(lane.key);
              return (
                <TabsTrigger
                  key={lane.key}
                  value={lane.key}
                  className="h-auto min-w-44 flex-none flex-col items-start gap-0.5 rounded-md px-2.5 py-2 text-left data-[state=active]:bg-muted md:min-w-0 dark:data-[state=active]:bg-muted"
                >
                  <span className="flex w-full items-center gap-2">
                    <span
                      aria-hidden="true"
                      className={cn(
                        "size-2 shrink-0 rounded-full",
                        live
                          ? "animate-pulse bg-primary motion-reduce:animate-none"
                          : task
                            ? TASK_STATUS_META[task.status].dot
                            : "bg-muted-foreground/40",
                      )}
                    />
                    <span className="truncate font-medium">{agentLabel(lane.agentSlug, agentNames)}</span>
                    {live && <span className="sr-only">(streaming)</span>}
                  </span>
                  <span className="w-full truncate pl-4 font-normal text-muted-foreground text-xs">
                    {task?.title ?? "Run"}
                  </span>
                </TabsTrigger>
              );
            })}
          </TabsList>
        </div>
        <TabsContent value={current.key} className="min-w-0 space-y-2">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <h3 className="font-medium">{agentLabel(current.agentSlug, agentNames)}</h3>
            {current.taskId && tasks[current.taskId] ? (
              <>
                <span className="min-w-0 truncate text-muted-foreground text-sm">
                  {tasks[current.taskId]?.title}
                </span>
                <TaskStatusLabel status={(tasks[current.taskId] as RunViewTask).status} />
              </>
            ) : (
              <span className="text-muted-foreground text-sm">Run-level work</span>
            )}
          </div>
          <LaneTranscript key={current.key} lane={current} live={liveLaneKeys.has(current.key)} exec={exec} />
        </TabsContent>
      </Tabs>
    </div>
  );
}
