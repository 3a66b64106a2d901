"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LightbulbIcon, PencilIcon, PlusIcon, Trash2Icon } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Spinner } from "@/components/ui/spinner";
import type { KnowledgeInsightView } from "@/lib/knowledge/types";
import { formatDate } from "@/lib/utils";
import { deleteInsight, fetchInsights, type KnowledgeTarget, knowledgeKeys } from "./api";
import { InsightDialog } from "./insight-dialog";
import { personLabel } from "./labels";

type Props = {
  target: KnowledgeTarget;
  canWrite: boolean;
  /** The slug of each project id, for the links to the runs insights were learnt in. */
  projectSlugs: Record<string, string>;
};

/** What agents recorded during runs and members added by hand, newest first. */
export function InsightList({ target, canWrite, projectSlugs }: Props) {
  const queryClient = useQueryClient();
  const insights = useQuery({
    queryKey: knowledgeKeys.insights(target),
    queryFn: ({ signal }) => fetchInsights(target, signal),
  });
  const [editing, setEditing] = useState<KnowledgeInsightView | "new" | null>(null);
  const [deleting, setDeleting] = useState<KnowledgeInsightView | null>(null);
  const remove = useMutation({
    mutationFn: (i: KnowledgeInsightView) => deleteInsight(target.org, i.id),
    onSuccess: () => {
      setDeleting(null);
      toast.success("Insight deleted.");
    },
    onError: (error) => toast.error(error.message),
    onSettled: () => queryClient.invalidateQueries({ queryKey: knowledgeKeys.all(target.org) }),
  });

  return (
    <div className="grid gap-4">
      {canWrite && (
        <div>
          <Button variant="outline" onClick={() => setEditing("new")}>
            <PlusIcon />
            Add an insight
          </Button>
        </div>
      )}
      {insights.isError ? (
        <Alert variant="destructive">
          <AlertDescription>{insights.error.message}</AlertDescription>
        </Alert>
      ) : !insights.data ? (
        <div className="grid gap-3" role="status" aria-label="Loading insights">
          <Skeleton className="h-24 w-full" />
          <Skeleton className="h-24 w-full" />
        </div>
      ) : insights.data.length === 0 ? (
        <EmptyState
          icon={<LightbulbIcon />}
          title="No insights yet"
          description="Agents record what they learn while they work (a convention, a pitfall, a decision); it shows here and later runs are offered it. Members can add insights by hand too."
        />
      ) : (
        <ul className="grid gap-3">
          {insights.data.map((insight) => {
            const slug = insight.projectId ? projectSlugs[insight.projectId] : undefined;
            return (
              <li
                key={insight.id}
                className="grid gap-2 rounded-lg border p-4"
                data-testid="knowledge-insight"
              >
                <div className="flex items-start justify-between gap-2">
                  <h3 className="font-medium">{insight.title}</h3>
                  {canWrite && (
                    <div className="flex shrink-0 gap-1">
                      <Button
                        variant="ghost"
                        size="icon"
                        className="size-8"
                        aria-label={`Edit ${insight.title}`}
                        onClick={() => setEditing(insight)}
                      >
                        <PencilIcon />
                      </Button>
                      <Button
                        variant="ghost"
                        size="icon"
                        className="size-8"
                        aria-label={`Delete ${insight.title}`}
                        onClick={() => setDeleting(insight)}
                      >
                        <Trash2Icon />
                      </Button>
                    </div>
                  )}
                </div>
                <p className="whitespace-pre-wrap break-words text-sm">{insight.body}</p>
                <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-muted-foreground text-xs">
                  {insight.runId && (
                    <span>
                      {slug ? (
                        <Link
                          className="underline underline-offset-4"
                          href={`/${target.org}/projects/${slug}/runs/${insight.runId}`}
                        >
                          Run {insight.runNumber ? `#${insight.runNumber}` : ""}
                        </Link>
                      ) : (
                        `Run ${insight.runNumber ? `#${insight.runNumber}` : ""}`
                      )}
                      {insight.taskKey && (
                        <>
                          {" "}
                          · task <span className="font-mono">{insight.taskKey}</span>
                        </>
                      )}
                    </span>
                  )}
                  <span>
                    {insight.agentSlug ? (
                      <>
                        by agent <span className="font-mono">{insight.agentSlug}</span>
                      </>
                    ) : (
                      <>by {personLabel(insight.createdBy)}</>
                    )}
                  </span>
                  <span>
                    {formatDate(insight.createdAt, {
                      dateStyle: "medium",
                      timeStyle: "short",
                      timeZone: "UTC",
                    })}{" "}
                    UTC
                  </span>
                  {insight.tags.map((tag) => (
                    <Badge key={tag} variant="secondary">
                      {tag}
                    </Badge>
                  ))}
                </div>
              </li>
            );
          })}
        </ul>
      )}

      <InsightDialog target={target} editing={editing} onClose={() => setEditing(null)} />

      <AlertDialog open={deleting !== null} onOpenChange={(open) => !open && setDeleting(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Delete “{deleting?.title}”?</AlertDialogTitle>
            <AlertDialogDescription>
              Later runs are no longer offered it, and search stops finding it. This cannot be undone.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel disabled={remove.isPending}>Cancel</AlertDialogCancel>
            <Button
              variant="destructive"
              disabled={remove.isPending}
              onClick={() => deleting && remove.mutate(deleting)}
            >
              {remove.isPending && <Spinner />}
              Delete insight
            </Button>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </div>
  );
}
