"use client";

import { CheckIcon, FileTextIcon, HandIcon, KanbanIcon, LockIcon, XIcon } from "lucide-react";
import { useId, useState } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/form-field";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/api/action";
import type { ApprovalStatus, RunApproval } from "@/lib/runs/view-state";
import { cn, formatDateTime } from "@/lib/utils";

export type ApprovalDecision = "approved" | "rejected";

/** What an approval asks about: the artifact under review, or its task when nothing was written. */
export type ApprovalSubject = { kind: "artifact" | "task"; id: string; title: string };

export type ApprovalPanelProps = {
  /** Every approval of the run, in the order they were requested. */
  approvals: RunApproval[];
  /** Whether the viewer holds `runs.approve`. */
  canApprove: boolean;
  onDecide?: (
    approvalId: string,
    decision: ApprovalDecision,
    comment: string,
  ) => Promise<ActionResult<unknown>>;
  /** Task titles by id, to say what an approval is about. */
  taskTitles?: Readonly<Record<string, string>>;
  /** By approval id: what to open to review before deciding. */
  subjects?: Readonly<Record<string, ApprovalSubject>>;
  onOpenSubject?: (subject: ApprovalSubject) => void;
  className?: string;
};

const DECISION_META: Record<
  Exclude<ApprovalStatus, "pending">,
  { label: string; variant: "success" | "destructive" | "secondary" }
> = {
  approved: { label: "Approved", variant: "success" },
  rejected: { label: "Rejected", variant: "destructive" },
  timed_out: { label: "Timed out", variant: "secondary" },
};

const COMMENT_MAX_LENGTH = 2_000;

function PendingApproval({
  approval,
  canApprove,
  onDecide,
  taskTitle,
  subject,
  onOpenSubject,
}: {
  approval: RunApproval;
  canApprove: boolean;
  onDecide?: ApprovalPanelProps["onDecide"];
  taskTitle?: string;
  subject?: ApprovalSubject;
  onOpenSubject?: ApprovalPanelProps["onOpenSubject"];
}) {
  const commentId = useId();
  const [comment, setComment] = useState("");
  const [pending, setPending] = useState<ApprovalDecision | null>(null);
  const [error, setError] = useState<{ comment?: string[]; form?: string } | null>(null);

  const decide = async (decision: ApprovalDecision) => {
    if (!onDecide) return;
    setPending(decision);
    setError(null);
    try {
      const result = await onDecide(approval.id, decision, comment.trim());
      if (!result.ok) {
        const { fieldErrors, message } = result.error;
        setError({ comment: fieldErrors?.comment, form: fieldErrors?.comment ? undefined : message });
      }
    } catch {
      setError({ form: "Could not reach the server. Check your connection and try again." });
    } finally {
      setPending(null);
    }
  };

  return (
    <section
      aria-labelledby={`${commentId}-title`}
      className="space-y-3 rounded-xl border border-warning/50 bg-warning/5 p-4 shadow-xs dark:bg-warning/10"
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0 space-y-1">
          <p className="flex items-center gap-1.5 font-medium text-warning text-xs uppercase tracking-wide">
            <HandIcon aria-hidden="true" className="size-3.5" />
            Waiting for approval
          </p>
          <h2 id={`${commentId}-title`} className="font-semibold leading-snug">
            {approval.title}
          </h2>
          {taskTitle && <p className="text-muted-foreground text-xs">Task: {taskTitle}</p>}
        </div>
        {approval.requestedAt && (
          <span className="text-muted-foreground text-xs">Asked {formatDateTime(approval.requestedAt)}</span>
        )}
      </div>
      {approval.prompt && <p className="whitespace-pre-line text-sm leading-relaxed">{approval.prompt}</p>}
      {subject && <SubjectLink subject={subject} onOpen={onOpenSubject} />}

      {canApprove && onDecide ? (
        <div className="space-y-3">
          <div className="grid gap-2">
            <Label htmlFor={commentId}>Comment</Label>
            <Textarea
              id={commentId}
              value={comment}
              maxLength={COMMENT_MAX_LENGTH}
              rows={2}
              placeholder="Context for the agents — especially what to change if you reject."
              aria-invalid={error?.comment ? true : undefined}
              aria-describedby={error?.comment ? `${commentId}-error` : undefined}
              onChange={(e) => setComment(e.target.value)}
              disabled={pending !== null}
            />
            <FieldError id={`${commentId}-error`} messages={error?.comment} />
          </div>
          {error?.form && (
            <p role="alert" className="text-destructive text-sm">
              {error.form}
            </p>
          )}
          <div className="flex flex-wrap gap-2">
            <Button onClick={() => decide("approved")} disabled={pending !== null}>
              {pending === "approved" ? <Spinner aria-hidden="true" /> : <CheckIcon aria-hidden="true" />}
              Approve
            </Button>
            <Button variant="outline" onClick={() => decide("rejected")} disabled={pending !== null}>
              {pending === "rejected" ? <Spinner aria-hidden="true" /> : <XIcon aria-hidden="true" />}
              Reject
            </Button>
          </div>
        </div>
      ) : (
        <Alert>
          <LockIcon aria-hidden="true" />
          <AlertTitle>You can't approve runs</AlertTitle>
          <AlertDescription>
            A member with permission to approve runs must decide; the run waits until then.
          </AlertDescription>
        </Alert>
      )}
    </section>
  );
}

function SubjectLink({
  subject,
  onOpen,
}: {
  subject: ApprovalSubject;
  onOpen?: ApprovalPanelProps["onOpenSubject"];
}) {
  const Icon = subject.kind === "artifact" ? FileTextIcon : KanbanIcon;
  return (
    <p className="text-sm">
      <a
        href={subject.kind === "artifact" ? "#run-artifacts" : `#task-${subject.id}`}
        onClick={(event) => {
          if (!onOpen) return;
          event.preventDefault();
          onOpen(subject);
        }}
        className="inline-flex items-center gap-1.5 font-medium text-primary underline-offset-4 hover:underline"
      >
        <Icon aria-hidden="true" className="size-4 shrink-0" />
        {subject.kind === "artifact" ? `Review «${subject.title}»` : `Open the task «${subject.title}»`}
      </a>
    </p>
  );
}

function ResolvedApproval({ approval }: { approval: RunApproval }) {
  const meta = DECISION_META[approval.status as Exclude<ApprovalStatus, "pending">];
  return (
    <li className="space-y-1 py-3 first:pt-0 last:pb-0">
      <div className="flex flex-wrap items-center gap-2">
        <Badge variant={meta.variant}>{meta.label}</Badge>
        <span className="font-medium text-sm">{approval.title}</span>
      </div>
      <p className="text-muted-foreground text-xs">
        {approval.decidedBy
          ? `By ${approval.decidedBy}`
          : approval.status === "timed_out"
            ? "No decision in time"
            : null}
        {approval.resolvedAt && ` · ${formatDateTime(approval.resolvedAt)}`}
      </p>
      {approval.comment && (
        <blockquote className="border-l-2 pl-3 text-sm whitespace-pre-line">{approval.comment}</blockquote>
      )}
    </li>
  );
}

/** Pending approval gates, prominently, with the decisions already made below them. */
export function ApprovalPanel({
  approvals,
  canApprove,
  onDecide,
  taskTitles,
  subjects,
  onOpenSubject,
  className,
}: ApprovalPanelProps) {
  const pending = approvals.filter((a) => a.status === "pending");
  const resolved = approvals.filter((a) => a.status !== "pending");
  if (approvals.length === 0) return null;

  return (
    <div data-slot="approval-panel" className={cn("space-y-3", className)}>
      {pending.map((approval) => (
        <PendingApproval
          key={approval.id}
          approval={approval}
          canApprove={canApprove}
          onDecide={onDecide}
          taskTitle={approval.taskId ? taskTitles?.[approval.taskId] : undefined}
          subject={subjects?.[approval.id]}
          onOpenSubject={onOpenSubject}
        />
      ))}
      {resolved.length > 0 && (
        <details className="group rounded-lg border px-4 py-2 text-sm">
          <summary className="cursor-pointer py-1 font-medium text-muted-foreground hover:text-foreground">
            {resolved.length === 1 ? "1 decision" : `${resolved.length} decisions`} on this run
          </summary>
          <ul className="mt-2 divide-y">
            {resolved.map((approval) => (
              <ResolvedApproval key={approval.id} approval={approval} />
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
