"use client";

import { CircleCheckIcon, CircleXIcon } from "lucide-react";
import type { CheckInfo } from "@/lib/checks/read/check-info";
import type { TaskAttempt } from "@/lib/runs/view-state";
import { cn } from "@/lib/utils";
import { CheckResult } from "./check-result";

/** A task's attempts, oldest first: each attempt's checks and the reviewer's verdict on it. */
export function AttemptHistory({
  attempts,
  stored,
  checksUrl,
  sandboxUnavailable,
  className,
}: {
  attempts: TaskAttempt[];
  stored?: ReadonlyMap<string, CheckInfo>;
  checksUrl?: string;
  sandboxUnavailable?: boolean;
  className?: string;
}) {
  if (attempts.length === 0) return null;
  return (
    <ol aria-label="Attempts" className={cn("space-y-2", className)}>
      {attempts.map((attempt) => (
        <li
          key={attempt.attempt}
          className="space-y-1.5 rounded-md border bg-background/60 px-2 py-1.5 text-xs"
        >
          <p className="font-medium">Attempt {attempt.attempt}</p>
          {attempt.checks.length === 0 ? (
            <p className="text-muted-foreground">No checks ran.</p>
          ) : (
            <ul className="space-y-1.5">
              {attempt.checks.map((check) => (
                <li key={check.id}>
                  <CheckResult
                    check={check}
                    stored={stored?.get(check.id)}
                    checksUrl={checksUrl}
                    sandboxUnavailable={sandboxUnavailable}
                  />
                </li>
              ))}
            </ul>
          )}
          {attempt.verdict &&
            (attempt.verdict.verdict === "pass" ? (
              <p className="flex items-center gap-1.5 text-success">
                <CircleCheckIcon aria-hidden="true" className="size-3.5" />
                Review passed
              </p>
            ) : (
              <div className="space-y-0.5">
                <p className="flex items-center gap-1.5 text-destructive">
                  <CircleXIcon aria-hidden="true" className="size-3.5" />
                  Review asked for changes
                </p>
                {attempt.verdict.reasons.length > 0 && (
                  <ul className="list-disc pl-5 text-foreground/80">
                    {attempt.verdict.reasons.map((reason, i) => (
                      <li key={i}>{reason}</li>
                    ))}
                  </ul>
                )}
              </div>
            ))}
        </li>
      ))}
    </ol>
  );
}
