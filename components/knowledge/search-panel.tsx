"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { InfoIcon, SearchIcon } from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { MAX_QUERY_CHARS } from "@/lib/knowledge/limits";
import type { KnowledgeHit } from "@/lib/knowledge/types";
import { type KnowledgeTarget, knowledgeKeys, searchKnowledgeApi } from "./api";
import { SOURCE_LABELS } from "./labels";
import { Snippet } from "./snippet";

const DEBOUNCE_MS = 300;

type Props = {
  target: KnowledgeTarget;
  /** Shown to admins with the "no embedding model" note: where to configure one. */
  aiSettingsHref: string | null;
  /** Run links for hits from insights and run outcomes: the project slug of each project id. */
  projectSlugs: Record<string, string>;
};

/** Searches as the member types (debounced) or at once on Enter; results are cited and highlighted. */
export function SearchPanel({ target, aiSettingsHref, projectSlugs }: Props) {
  const id = useId();
  const [input, setInput] = useState("");
  const [query, setQuery] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setQuery(input.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [input]);

  const search = useQuery({
    queryKey: knowledgeKeys.search(target, query),
    queryFn: ({ signal }) => searchKnowledgeApi(target, query, signal),
    enabled: query.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });

  return (
    <div className="grid gap-4">
      <search>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setQuery(input.trim());
          }}
        >
          <label htmlFor={`${id}-q`} className="sr-only">
            Search knowledge
          </label>
          <div className="relative">
            <SearchIcon
              className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground"
              aria-hidden="true"
            />
            <Input
              id={`${id}-q`}
              type="search"
              className="pl-9"
              placeholder={
                target.project ? "Search this project's knowledge" : "Search the organization's knowledge"
              }
              maxLength={MAX_QUERY_CHARS}
              value={input}
              onChange={(e) => setInput(e.target.value)}
            />
            {search.isFetching && (
              <Spinner className="absolute top-1/2 right-3 -translate-y-1/2 text-muted-foreground" />
            )}
          </div>
        </form>
      </search>

      {search.data?.mode === "text" && (
        <p className="flex items-start gap-2 text-muted-foreground text-xs" data-testid="knowledge-text-mode">
          <InfoIcon className="mt-px size-3.5 shrink-0" aria-hidden="true" />
          <span>
            Search is full-text and trigram only: no embedding model is configured, so results match words and
            spellings, not meaning.
            {aiSettingsHref && (
              <>
                {" "}
                <Link href={aiSettingsHref} className="underline underline-offset-4">
                  Configure one in AI settings
                </Link>
                .
              </>
            )}
          </span>
        </p>
      )}

      {!query ? null : search.isError ? (
        <Alert variant="destructive">
          <AlertDescription>{search.error.message}</AlertDescription>
        </Alert>
      ) : !search.data ? (
        <ResultsSkeleton />
      ) : search.data.hits.length === 0 ? (
        <EmptyState
          icon={<SearchIcon />}
          title="Nothing found"
          description="Try other words. Documents still processing are not searched yet."
        />
      ) : (
        <ol className="grid gap-3" aria-label="Search results" aria-busy={search.isFetching}>
          {search.data.hits.map((hit) => (
            <li key={hit.chunkId}>
              <Hit
                hit={hit}
                org={target.org}
                projectSlug={hit.projectId ? projectSlugs[hit.projectId] : undefined}
              />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function rankText(hit: KnowledgeHit): string {
  const r = hit.ranks;
  const parts = [
    `full text ${r.text ? `#${r.text}` : "—"}`,
    `trigram ${r.trigram ? `#${r.trigram}` : "—"}`,
    ...(r.vector !== undefined ? [`vector #${r.vector}`] : []),
  ];
  return `Score ${hit.score.toFixed(4)} · ${parts.join(" · ")}`;
}

function Hit({ hit, org, projectSlug }: { hit: KnowledgeHit; org: string; projectSlug?: string }) {
  return (
    <article className="grid gap-2 rounded-lg border p-4" data-testid="knowledge-hit">
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="min-w-0 font-medium text-sm" data-testid="knowledge-citation">
          {hit.citation}
        </h3>
        <div className="flex items-center gap-2">
          <Badge variant="outline">{SOURCE_LABELS[hit.source]}</Badge>
          <Tooltip>
            <TooltipTrigger asChild>
              <button
                type="button"
                className="rounded-sm text-muted-foreground text-xs tabular-nums outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
                aria-label={rankText(hit)}
              >
                {hit.score.toFixed(3)}
              </button>
            </TooltipTrigger>
            <TooltipContent>{rankText(hit)}</TooltipContent>
          </Tooltip>
        </div>
      </header>
      <Snippet text={hit.snippet} />
      {hit.runId && projectSlug && (
        <p className="text-muted-foreground text-xs">
          Learnt in{" "}
          <Link
            className="underline underline-offset-4"
            href={`/${org}/projects/${projectSlug}/runs/${hit.runId}`}
          >
            this run
          </Link>
          {hit.agentSlug && <> by {hit.agentSlug}</>}
        </p>
      )}
    </article>
  );
}

function ResultsSkeleton() {
  return (
    <div className="grid gap-3" role="status" aria-label="Searching">
      {[0, 1].map((i) => (
        <Skeleton key={i} className="h-24 w-full" />
      ))}
    </div>
  );
}
