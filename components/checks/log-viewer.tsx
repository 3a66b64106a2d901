"use client";

import { useQuery } from "@tanstack/react-query";
import { ChevronDownIcon, ChevronUpIcon, SearchIcon } from "lucide-react";
import type * as React from "react";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import type { CheckDetail } from "@/lib/checks/read/check-info";
import { cn } from "@/lib/utils";
import { findMatches } from "./format";

/** The query key of one check's log: immutable once recorded, so fetched once. */
export const checkLogKey = (url: string) => ["check-log", url] as const;

async function fetchCheck(url: string, signal: AbortSignal): Promise<CheckDetail> {
  const res = await fetch(url, { signal });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? "Could not load the log.");
  return (body as { check: CheckDetail }).check;
}

const LINE_PX = 20;
const VIEW_LINES = 24;
const OVERSCAN = 20;

function Highlighted({
  text,
  ranges,
  current,
}: {
  text: string;
  ranges: { start: number; end: number; index: number }[];
  current: number;
}) {
  if (ranges.length === 0) return <>{text || " "}</>;
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const r of ranges) {
    if (r.start > at) parts.push(text.slice(at, r.start));
    parts.push(
      <mark
        key={r.index}
        data-current={r.index === current || undefined}
        className={cn(
          "rounded-[2px] bg-warning/30 text-foreground",
          r.index === current && "bg-warning text-background outline outline-warning",
        )}
      >
        {text.slice(r.start, r.end)}
      </mark>,
    );
    at = r.end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}

/**
 * A log with search: matches highlighted, Enter / Shift+Enter (or the arrows) jump between them.
 * Only the lines in view are rendered, so a log of a hundred thousand lines scrolls as one of ten.
 */
export function LogText({
  text,
  label = "Log",
  className,
}: {
  text: string;
  label?: string;
  className?: string;
}) {
  const inputId = useId();
  const statusId = useId();
  const scroller = useRef<HTMLElement>(null);
  const [query, setQuery] = useState("");
  const [current, setCurrent] = useState(0);
  const [scrollTop, setScrollTop] = useState<number | null>(null);
  const lines = useMemo(() => (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n"), [text]);
  const matches = useMemo(() => findMatches(lines, query), [lines, query]);
  const byLine = useMemo(() => {
    const map = new Map<number, { start: number; end: number; index: number }[]>();
    matches.forEach((m, index) => {
      const list = map.get(m.line) ?? [];
      list.push({ start: m.start, end: m.end, index });
      map.set(m.line, list);
    });
    return map;
  }, [matches]);

  // Opens at the end: the failure is usually there.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    setScrollTop(el.scrollTop);
  }, []);

  const jump = (index: number) => {
    if (matches.length === 0) return;
    const next = (index + matches.length) % matches.length;
    setCurrent(next);
    const el = scroller.current;
    const match = matches[next];
    if (el && match) {
      el.scrollTop = Math.max(0, match.line * LINE_PX - el.clientHeight / 2);
      setScrollTop(el.scrollTop);
    }
  };

  // A new query goes to its first match.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on a new query only.
  useEffect(() => {
    setCurrent(0);
    if (matches.length > 0) jump(0);
  }, [query]);

  const top = scrollTop ?? Math.max(0, lines.length * LINE_PX - VIEW_LINES * LINE_PX);
  const first = Math.max(0, Math.floor(top / LINE_PX) - OVERSCAN);
  const last = Math.min(lines.length, Math.ceil(top / LINE_PX) + VIEW_LINES + OVERSCAN);
  const gutter = String(lines.length).length;

  return (
    <div className={cn("space-y-2", className)}>
      <div className="flex items-center gap-2">
        <label htmlFor={inputId} className="sr-only">
          Search the {label.toLowerCase()}
        </label>
        <div className="relative min-w-0 flex-1">
          <SearchIcon
            aria-hidden="true"
            className="-translate-y-1/2 pointer-events-none absolute top-1/2 left-2.5 size-3.5 text-muted-foreground"
          />
          <Input
            id={inputId}
            type="search"
            value={query}
            placeholder="Search the log"
            aria-describedby={statusId}
            className="h-8 pl-8 font-mono text-xs md:text-xs"
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key !== "Enter") return;
              event.preventDefault();
              jump(current + (event.shiftKey ? -1 : 1));
            }}
          />
        </div>
        <span
          id={statusId}
          aria-live="polite"
          className="shrink-0 text-muted-foreground text-xs tabular-nums"
        >
          {query
            ? matches.length
              ? `${current + 1} of ${matches.length}`
              : "No matches"
            : `${lines.length} lines`}
        </span>
        <Button
          size="icon"
          variant="ghost"
          className="size-8"
          aria-label="Previous match"
          disabled={matches.length === 0}
          onClick={() => jump(current - 1)}
        >
          <ChevronUpIcon />
        </Button>
        <Button
          size="icon"
          variant="ghost"
          className="size-8"
          aria-label="Next match"
          disabled={matches.length === 0}
          onClick={() => jump(current + 1)}
        >
          <ChevronDownIcon />
        </Button>
      </div>
      <section
        ref={scroller}
        aria-label={label}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        tabIndex={0}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        className="relative overflow-auto rounded-md border bg-muted/40 font-mono text-xs focus-visible:outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
        style={{ height: Math.min(lines.length, VIEW_LINES) * LINE_PX + 16 }}
      >
        <div style={{ height: lines.length * LINE_PX + 16, position: "relative", minWidth: "max-content" }}>
          <div style={{ position: "absolute", top: first * LINE_PX + 8, left: 0, right: 0 }}>
            {lines.slice(first, last).map((line, offset) => {
              const index = first + offset;
              return (
                <div
                  key={index}
                  className="flex whitespace-pre px-2"
                  style={{ height: LINE_PX, lineHeight: `${LINE_PX}px` }}
                >
                  <span
                    aria-hidden="true"
                    className="mr-3 select-none text-right text-muted-foreground/70"
                    style={{ width: `${gutter}ch` }}
                  >
                    {index + 1}
                  </span>
                  <span>
                    <Highlighted text={line} ranges={byLine.get(index) ?? []} current={current} />
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </section>
    </div>
  );
}

/** A check's log, loaded from the checks route when shown. */
export function CheckLogViewer({ url, className }: { url: string; className?: string }) {
  const check = useQuery({
    queryKey: checkLogKey(url),
    queryFn: ({ signal }) => fetchCheck(url, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (check.isPending) return <Skeleton className={cn("h-40 w-full", className)} />;
  if (check.isError) {
    return (
      <Alert variant="destructive" className={className}>
        <AlertDescription>{check.error.message}</AlertDescription>
      </Alert>
    );
  }
  const { log, truncated, outputBytes, command } = check.data;
  return (
    <div className={cn("space-y-1.5", className)}>
      <p className="truncate font-mono text-muted-foreground text-xs">$ {command}</p>
      {log ? (
        <LogText text={log} label={`Log of ${command}`} />
      ) : (
        <p className="text-muted-foreground text-sm">The command printed nothing.</p>
      )}
      {truncated && (
        <p className="text-muted-foreground text-xs">
          The output passed the limit ({outputBytes.toLocaleString("en-US")} bytes): its head and tail are
          kept.
        </p>
      )}
    </div>
  );
}
