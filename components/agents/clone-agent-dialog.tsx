"use client";

import { useMutation } from "@tanstack/react-query";
import { CopyIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { cloneAgentAction } from "@/app/(app)/[org]/agents/actions";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
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

type CloneAgentDialogProps = {
  orgSlug: string;
  /** The agent to copy. */
  agent: { slug: string; name: string };
};

/** Copies a built-in agent as the organization's own, which it can then edit freely. */
export function CloneAgentDialog({ orgSlug, agent }: CloneAgentDialogProps) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const clone = useMutation({
    mutationFn: (form: FormData) =>
      cloneAgentAction(orgSlug, { from: agent.slug, name: form.get("name"), slug: form.get("slug") }),
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      toast.success(`“${result.data.name}” created from ${agent.name}.`);
      setOpen(false);
      router.push(`/${orgSlug}/agents/${result.data.slug}`);
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  const error = clone.data && !clone.data.ok ? clone.data.error : null;
  const fieldErrors = error?.fieldErrors ?? {};
  // Errors on fields the dialog has no input for (e.g. the source agent vanished) go on top.
  const formError = fieldErrors.from ?? fieldErrors._;

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) clone.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline">
          <CopyIcon />
          Clone and customise
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            clone.mutate(new FormData(event.currentTarget));
          }}
        >
          <DialogHeader>
            <DialogTitle>Clone {agent.name}</DialogTitle>
            <DialogDescription>
              Your organization gets its own copy to edit; the built-in stays available.
            </DialogDescription>
          </DialogHeader>
          {formError && (
            <Alert variant="destructive">
              <AlertDescription>{formError.join(" ")}</AlertDescription>
            </Alert>
          )}
          <fieldset disabled={clone.isPending} className="grid gap-4">
            <FormField label="Name" htmlFor="clone-name" error={fieldErrors.name}>
              <Input id="clone-name" name="name" autoComplete="off" defaultValue={`${agent.name} (custom)`} />
            </FormField>
            <FormField
              label="Slug"
              htmlFor="clone-slug"
              error={fieldErrors.slug}
              hint="Lowercase letters, digits and dashes. Runs refer to the agent by it."
            >
              <Input
                id="clone-slug"
                name="slug"
                autoComplete="off"
                spellCheck={false}
                className="font-mono"
                defaultValue={`${agent.slug}-custom`}
              />
            </FormField>
          </fieldset>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                Cancel
              </Button>
            </DialogClose>
            <SubmitButton pending={clone.isPending} pendingText="Cloning…">
              Clone agent
            </SubmitButton>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
