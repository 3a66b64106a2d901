"use client";

import { PlayIcon } from "lucide-react";
import { useId, useState } from "react";
import { formatNumber } from "@/components/runs/format";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionResult } from "@/lib/api/action";

export type ResumeRunDialogProps = {
  /** The budget the run stopped at, when it had one. */
  currentBudget?: number | null;
  usedTokens: number;
  onResume: (tokenBudget: number) => Promise<ActionResult<unknown>>;
};

/** "Resume with larger budget" for a run stopped by its token budget. */
export function ResumeRunDialog({ currentBudget, usedTokens, onResume }: ResumeRunDialogProps) {
  const inputId = useId();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<string[] | undefined>();
  const suggested = Math.ceil((Math.max(currentBudget ?? 0, usedTokens) * 2) / 10_000) * 10_000 || 100_000;

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setErrors(undefined);
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm">
          <PlayIcon aria-hidden="true" />
          Resume with larger budget
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form
          noValidate
          className="grid gap-4"
          onSubmit={async (event) => {
            event.preventDefault();
            const raw = String(new FormData(event.currentTarget).get("tokenBudget") ?? "").trim();
            const budget = Number(raw);
            if (!/^\d+$/.test(raw) || budget <= usedTokens) {
              setErrors([
                `Enter a whole number of tokens above the ${formatNumber(usedTokens)} already used.`,
              ]);
              return;
            }
            setPending(true);
            setErrors(undefined);
            try {
              const result = await onResume(budget);
              if (result.ok) setOpen(false);
              else setErrors(result.error.fieldErrors?.tokenBudget ?? [result.error.message]);
            } catch {
              setErrors(["Could not reach the server. Check your connection and try again."]);
            } finally {
              setPending(false);
            }
          }}
        >
          <DialogHeader>
            <DialogTitle>Resume with a larger budget</DialogTitle>
            <DialogDescription>
              The run stopped after using {formatNumber(usedTokens)} tokens
              {currentBudget ? ` of its ${formatNumber(currentBudget)} token budget` : ""}. It continues where
              it stopped.
            </DialogDescription>
          </DialogHeader>
          <FormField
            label="New token budget"
            htmlFor={inputId}
            error={errors}
            hint="Input and output tokens, in total."
          >
            <Input
              id={inputId}
              name="tokenBudget"
              type="number"
              inputMode="numeric"
              min={usedTokens + 1}
              step={1000}
              defaultValue={suggested}
              disabled={pending}
            />
          </FormField>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)} disabled={pending}>
              Cancel
            </Button>
            <SubmitButton pending={pending} pendingText="Resuming…">
              Resume run
            </SubmitButton>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
