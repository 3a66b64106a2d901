"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { formatNumber } from "@/components/runs/format";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldError, FormField, fieldIds } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/api/action";
import { listRunTemplates, type RunTemplateSlug } from "@/lib/runs/templates";

/** What the form sends to the start-run server action (bound to the organization by the page). */
export type StartRunInput = {
  /** The project's slug. */
  project: string;
  goal: string;
  template: RunTemplateSlug;
  /** Absent: the organization's default budget. */
  tokenBudget?: number;
  /** Pause after planning until a member approves the plan. */
  reviewPlan?: boolean;
};

export type StartRunFormProps = {
  orgSlug: string;
  projectSlug: string;
  action: (input: StartRunInput) => Promise<ActionResult<{ id: string }>>;
  /** The organization's default budget, shown as the placeholder. */
  defaultTokenBudget?: number | null;
};

const TEMPLATES = listRunTemplates();

/** Start a run in a project: a goal, a template and an optional token budget. */
export function StartRunForm({ orgSlug, projectSlug, action, defaultTokenBudget }: StartRunFormProps) {
  const router = useRouter();
  const [template, setTemplate] = useState<RunTemplateSlug>(TEMPLATES[0]?.slug ?? "full-delivery");
  const [budgetError, setBudgetError] = useState<string[] | undefined>();
  const [reviewPlan, setReviewPlan] = useState(false);
  const selected = TEMPLATES.find((t) => t.slug === template);

  const start = useMutation({
    mutationFn: (input: StartRunInput) => action(input),
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      toast.success("Run started.");
      router.push(`/${orgSlug}/projects/${projectSlug}/runs/${result.data.id}`);
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });

  const error = start.data && !start.data.ok ? start.data.error : null;
  const fieldErrors = error?.fieldErrors ?? {};
  const templateIds = fieldIds("run-template");
  const budgetErrors = budgetError ?? fieldErrors.tokenBudget;

  return (
    // noValidate: the server's messages, shown under each field, are the validation users see.
    <form
      noValidate
      className="grid max-w-3xl gap-6"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const rawBudget = String(form.get("tokenBudget") ?? "").trim();
        if (rawBudget && !/^\d+$/.test(rawBudget)) {
          setBudgetError(["Enter a whole number of tokens, or leave it empty for the default."]);
          return;
        }
        setBudgetError(undefined);
        start.mutate({
          project: projectSlug,
          goal: String(form.get("goal") ?? ""),
          template,
          tokenBudget: rawBudget ? Number(rawBudget) : undefined,
          reviewPlan,
        });
      }}
    >
      {fieldErrors._ && (
        <Alert variant="destructive">
          <AlertDescription>{fieldErrors._.join(" ")}</AlertDescription>
        </Alert>
      )}
      <fieldset disabled={start.isPending} className="grid gap-6 disabled:opacity-80">
        <FormField
          label="Goal"
          htmlFor="run-goal"
          error={fieldErrors.goal}
          hint="What should the swarm deliver? The first line becomes the run's title; add context, constraints and what done looks like below it."
        >
          <Textarea
            id="run-goal"
            name="goal"
            rows={6}
            required
            placeholder={"Add SSO sign-in for enterprise customers\n\nMust support Okta and Entra ID…"}
          />
        </FormField>

        <div className="grid gap-2">
          <Label htmlFor="run-template" className={fieldErrors.template ? "text-destructive" : undefined}>
            Template
          </Label>
          <Select name="template" value={template} onValueChange={(v) => setTemplate(v as RunTemplateSlug)}>
            <SelectTrigger
              id="run-template"
              className="w-full sm:w-96"
              aria-invalid={fieldErrors.template ? true : undefined}
              aria-describedby={`${templateIds.hint} ${fieldErrors.template ? templateIds.error : ""}`.trim()}
            >
              <SelectValue placeholder="Choose a template">{selected?.name}</SelectValue>
            </SelectTrigger>
            <SelectContent>
              {TEMPLATES.map((t) => (
                <SelectItem key={t.slug} value={t.slug}>
                  {t.name}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <div id={templateIds.hint} className="space-y-1 text-muted-foreground text-sm">
            {selected && (
              <>
                <p>{selected.description}</p>
                <p>
                  Phases: {selected.phases.map((p) => p.name).join(" → ")}
                  {selected.approvalGates.length > 0 &&
                    ` · ${selected.approvalGates.length} approval ${selected.approvalGates.length === 1 ? "gate" : "gates"}`}
                </p>
              </>
            )}
          </div>
          <FieldError id={templateIds.error} messages={fieldErrors.template} />
        </div>

        <FormField
          label="Token budget (optional)"
          htmlFor="run-token-budget"
          error={budgetErrors}
          hint={
            defaultTokenBudget
              ? `Input and output tokens in total. Leave empty for your organization's default of ${formatNumber(defaultTokenBudget)}.`
              : "Input and output tokens in total. Leave empty for your organization's default."
          }
        >
          <Input
            id="run-token-budget"
            name="tokenBudget"
            type="number"
            inputMode="numeric"
            min={1}
            step={1000}
            className="sm:w-64"
            placeholder={defaultTokenBudget ? String(defaultTokenBudget) : undefined}
          />
        </FormField>

        <div className="flex items-start gap-3">
          <Checkbox
            id="run-review-plan"
            checked={reviewPlan}
            onCheckedChange={(v) => setReviewPlan(v === true)}
            aria-describedby="run-review-plan-hint"
            className="mt-0.5"
          />
          <div className="grid gap-1">
            <Label htmlFor="run-review-plan">Review the plan first</Label>
            <p id="run-review-plan-hint" className="text-muted-foreground text-sm">
              The run pauses after planning: change its tasks on the task board, then start it.
            </p>
          </div>
        </div>
      </fieldset>
      <div>
        <SubmitButton pending={start.isPending} pendingText="Starting…">
          Start run
        </SubmitButton>
      </div>
    </form>
  );
}
