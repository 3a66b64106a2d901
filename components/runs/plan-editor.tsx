"use client";

import { PlayIcon } from "lucide-react";
import { useId, useState } from "react";
import { type AgentNames, agentLabel } from "@/components/runs/format";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { FieldError, FormField, fieldIds } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/api/action";
import type { RunViewTask } from "@/lib/runs/view-state";

/** The agents a task can be given (the orchestrator and the reviewer are not). */
const UNASSIGNABLE = new Set(["orchestrator", "reviewer"]);

/** A task nobody has started: the only kind a person can change, move or remove. */
export const isEditableTask = (task: RunViewTask) => task.status === "todo" && task.attempts === 0;

/** What the task form sends (the verbs' `addRunTask` / `updateRunTask` input). */
export type TaskFormValues = {
  title: string;
  description: string;
  agentSlug: string;
  phaseKey: string;
  phaseName?: string;
  dependsOn: string[];
  acceptanceCriteria: string[];
  priority: RunViewTask["priority"];
  worker: "agent" | "external";
};

const NEW_PHASE = "__new__";
const PRIORITIES: RunViewTask["priority"][] = ["low", "medium", "high", "critical"];

/** "Review plan — start run": shown while a run started with a plan review waits for it. */
export function PlanReviewBanner({ onApprove }: { onApprove?: () => Promise<ActionResult<unknown>> }) {
  const [pending, setPending] = useState(false);
  return (
    <Alert className="mb-4">
      <AlertTitle>The plan waits for your review</AlertTitle>
      <AlertDescription className="flex flex-wrap items-center justify-between gap-3">
        <span>
          Nothing starts until a member approves it. Add, change, re-order or remove tasks on the task board
          first.
        </span>
        {onApprove && (
          <Button
            size="sm"
            disabled={pending}
            onClick={async () => {
              setPending(true);
              try {
                await onApprove();
              } finally {
                setPending(false);
              }
            }}
          >
            {pending ? <Spinner aria-hidden="true" /> : <PlayIcon aria-hidden="true" />}
            Review plan — start run
          </Button>
        )}
      </AlertDescription>
    </Alert>
  );
}

export type TaskFormDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The task to edit; absent: a new task. */
  task?: RunViewTask | null;
  /** Every task of the run, for the dependencies. */
  tasks: RunViewTask[];
  phases: { key: string; title: string }[];
  agentNames?: AgentNames;
  onSubmit: (values: TaskFormValues) => Promise<ActionResult<unknown>>;
};

/** Add or edit a task that has not started; the server's messages show under each field. */
export function TaskFormDialog({
  open,
  onOpenChange,
  task,
  tasks,
  phases,
  agentNames = {},
  onSubmit,
}: TaskFormDialogProps) {
  const id = useId();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, setPending] = useState(false);
  const [agent, setAgent] = useState(task?.agentSlug ?? "");
  const [phase, setPhase] = useState(task?.phaseKey ?? phases[0]?.key ?? NEW_PHASE);
  const [priority, setPriority] = useState<RunViewTask["priority"]>(task?.priority ?? "medium");
  const [worker, setWorker] = useState<"agent" | "external">(task?.worker ?? "agent");
  const [deps, setDeps] = useState<string[]>(task?.dependsOn ?? []);
  const agents = Object.keys(agentNames)
    .filter((slug) => !UNASSIGNABLE.has(slug))
    .sort((a, b) => agentLabel(a, agentNames).localeCompare(agentLabel(b, agentNames)));
  const others = tasks.filter((t) => t.id !== task?.id);
  const f = (name: string) => `${id}-${name}`;

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        onOpenChange(next);
        if (!next) setErrors({});
      }}
    >
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <form
          noValidate
          className="grid gap-4"
          onSubmit={async (event) => {
            event.preventDefault();
            const form = new FormData(event.currentTarget);
            const text = (name: string) => String(form.get(name) ?? "");
            const values: TaskFormValues = {
              title: text("title"),
              description: text("description"),
              agentSlug: agent,
              phaseKey: phase === NEW_PHASE ? text("phaseKey") : phase,
              phaseName: phase === NEW_PHASE ? text("phaseName") : undefined,
              dependsOn: deps,
              acceptanceCriteria: text("acceptanceCriteria")
                .split("\n")
                .map((l) => l.trim())
                .filter(Boolean),
              priority,
              worker,
            };
            setPending(true);
            setErrors({});
            try {
              const result = await onSubmit(values);
              if (result.ok) onOpenChange(false);
              else setErrors(result.error.fieldErrors ?? { _: [result.error.message] });
            } catch {
              setErrors({ _: ["Could not reach the server. Check your connection and try again."] });
            } finally {
              setPending(false);
            }
          }}
        >
          <DialogHeader>
            <DialogTitle>{task ? `Edit "${task.title}"` : "Add a task"}</DialogTitle>
            <DialogDescription>
              Checked like the orchestrator's plan: known agents, existing dependencies, no cycles.
            </DialogDescription>
          </DialogHeader>
          {errors._ && (
            <Alert variant="destructive">
              <AlertDescription>{errors._.join(" ")}</AlertDescription>
            </Alert>
          )}
          <FormField label="Title" htmlFor={f("title")} error={errors.title ?? errors.key}>
            <Input id={f("title")} name="title" defaultValue={task?.title} required maxLength={200} />
          </FormField>
          <FormField label="Description" htmlFor={f("description")} error={errors.description}>
            <Textarea id={f("description")} name="description" rows={4} defaultValue={task?.description} />
          </FormField>
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="grid gap-2">
              <Label htmlFor={f("agent")} className={errors.agentSlug ? "text-destructive" : undefined}>
                Agent
              </Label>
              <Select value={agent} onValueChange={setAgent}>
                <SelectTrigger
                  id={f("agent")}
                  className="w-full"
                  aria-invalid={errors.agentSlug ? true : undefined}
                  aria-describedby={errors.agentSlug ? fieldIds(f("agent")).error : undefined}
                >
                  <SelectValue placeholder="Choose an agent">
                    {agent ? agentLabel(agent, agentNames) : null}
                  </SelectValue>
                </SelectTrigger>
                <SelectContent>
                  {agents.map((slug) => (
                    <SelectItem key={slug} value={slug}>
                      {agentLabel(slug, agentNames)}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              <FieldError id={fieldIds(f("agent")).error} messages={errors.agentSlug} />
            </div>
            <div className="grid gap-2">
              <Label htmlFor={f("phase")} className={errors.phaseKey ? "text-destructive" : undefined}>
                Phase
              </Label>
              <Select value={phase} onValueChange={setPhase}>
                <SelectTrigger
                  id={f("phase")}
                  className="w-full"
                  aria-invalid={errors.phaseKey ? true : undefined}
                >
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {phases.map((p) => (
                    <SelectItem key={p.key} value={p.key}>
                      {p.title}
                    </SelectItem>
                  ))}
                  {!task && <SelectItem value={NEW_PHASE}>New phase…</SelectItem>}
                </SelectContent>
              </Select>
              <FieldError messages={errors.phaseKey} />
            </div>
          </div>
          {phase === NEW_PHASE && (
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField label="New phase name" htmlFor={f("phaseName")} error={errors.phaseName}>
                <Input id={f("phaseName")} name="phaseName" />
              </FormField>
              <FormField
                label="New phase key"
                htmlFor={f("phaseKey")}
                hint="kebab-case, e.g. release"
                error={errors.phaseKey}
              >
                <Input id={f("phaseKey")} name="phaseKey" />
              </FormField>
            </div>
          )}
          <fieldset className="grid gap-2">
            <legend
              className={errors.dependsOn ? "font-medium text-destructive text-sm" : "font-medium text-sm"}
            >
              Depends on
            </legend>
            {others.length === 0 ? (
              <p className="text-muted-foreground text-sm">No other tasks.</p>
            ) : (
              <ul className="grid max-h-40 gap-1.5 overflow-y-auto rounded-md border p-2 sm:grid-cols-2">
                {others.map((t) => (
                  <li key={t.id} className="flex items-center gap-2 text-sm">
                    <Checkbox
                      id={f(`dep-${t.key}`)}
                      checked={deps.includes(t.key)}
                      onCheckedChange={(v) =>
                        setDeps((d) => (v === true ? [...d, t.key] : d.filter((k) => k !== t.key)))
                      }
                    />
                    <Label htmlFor={f(`dep-${t.key}`)} className="truncate font-normal">
                      {t.title}
                    </Label>
                  </li>
                ))}
              </ul>
            )}
            <FieldError messages={errors.dependsOn} />
          </fieldset>
          <FormField
            label="Acceptance criteria"
            htmlFor={f("criteria")}
            hint="One checkable statement per line; the reviewer verifies the result against them."
            error={errors.acceptanceCriteria}
          >
            <Textarea
              id={f("criteria")}
              name="acceptanceCriteria"
              rows={3}
              defaultValue={task?.acceptanceCriteria.join("\n")}
            />
          </FormField>
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="grid gap-2">
              <Label htmlFor={f("priority")}>Priority</Label>
              <Select value={priority} onValueChange={(v) => setPriority(v as RunViewTask["priority"])}>
                <SelectTrigger id={f("priority")} className="w-full">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {PRIORITIES.map((p) => (
                    <SelectItem key={p} value={p}>
                      {p[0]?.toUpperCase()}
                      {p.slice(1)}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
            <div className="grid gap-2">
              <Label htmlFor={f("worker")}>Worked by</Label>
              <Select value={worker} onValueChange={(v) => setWorker(v as "agent" | "external")}>
                <SelectTrigger id={f("worker")} className="w-full">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="agent">Our agent</SelectItem>
                  <SelectItem value="external">An external worker (IDE agent over MCP)</SelectItem>
                </SelectContent>
              </Select>
              <FieldError messages={errors.worker} />
            </div>
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <SubmitButton pending={pending} pendingText="Saving…">
              {task ? "Save task" : "Add task"}
            </SubmitButton>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
