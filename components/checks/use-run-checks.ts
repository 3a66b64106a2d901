"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { CheckInfo } from "@/lib/checks/read/check-info";

async function fetchRunChecks(url: string, signal: AbortSignal): Promise<CheckInfo[]> {
  const res = await fetch(url, { signal });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? "Could not load the checks.");
  return (body as { checks: CheckInfo[] }).checks;
}

/**
 * The run's stored checks by id (driver, reason, skipped counts: what the events leave out),
 * fetched again each time the run records a new check (`count`).
 */
export function useRunChecks(url: string | undefined, count: number): ReadonlyMap<string, CheckInfo> {
  const query = useQuery({
    queryKey: ["run-checks", url, count],
    queryFn: ({ signal }) => fetchRunChecks(url ?? "", signal),
    enabled: Boolean(url) && count > 0,
    placeholderData: keepPreviousData,
  });
  return useMemo(() => new Map((query.data ?? []).map((c) => [c.id, c])), [query.data]);
}
