"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { MAX_TITLE_CHARS } from "@/lib/knowledge/limits";
import type { KnowledgeInsightView } from "@/lib/knowledge/types";
import {
  createInsight,
  KnowledgeApiError,
  type KnowledgeTarget,
  knowledgeKeys,
  parseTags,
  updateInsight,
} from "./api";

type Props = {
  target: KnowledgeTarget;
  /** "new" to add one; an insight to edit it; null when closed. */
  editing: KnowledgeInsightView | "new" | null;
  onClose: () => void;
};

/** Adds an insight by hand or edits one (an agent's or a member's). */
export function InsightDialog({ target, editing, onClose }: Props) {
  const queryClient = useQueryClient();
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [tags, setTags] = useState("");
  useEffect(() => {
    if (editing === null) return;
    setTitle(editing === "new" ? "" : editing.title);
    setBody(editing === "new" ? "" : editing.body);
    setTags(editing === "new" ? "" : editing.tags.join(", "));
  }, [editing]);

  const save = useMutation({
    mutationFn: () => {
      const input = { title: title.trim(), body: body.trim(), tags: parseTags(tags) };
      if (editing === null) throw new Error("Nothing to save.");
      return editing === "new" ? createInsight(target, input) : updateInsight(target.org, editing.id, input);
    },
    onSuccess: () => {
      toast.success(editing === "new" ? "Insight added." : "Insight saved.");
      onClose();
    },
    onError: (error) => {
      if (!(error instanceof KnowledgeApiError) || Object.keys(error.fieldErrors).length === 0)
        toast.error(error.message);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: knowledgeKeys.all(target.org) }),
  });
  const fieldErrors = save.error instanceof KnowledgeApiError ? save.error.fieldErrors : {};

  return (
    <Dialog
      open={editing !== null}
      onOpenChange={(open) => {
        if (!open) {
          save.reset();
          onClose();
        }
      }}
    >
      <DialogContent className="sm:max-w-xl">
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <DialogHeader>
            <DialogTitle>{editing === "new" ? "Add an insight" : "Edit insight"}</DialogTitle>
            <DialogDescription>
              What was learnt, in a sentence or a paragraph. Later runs
              {target.project ? " of this project" : ""} are offered it.
            </DialogDescription>
          </DialogHeader>
          <FormField label="Title" htmlFor="knowledge-insight-title" error={fieldErrors.title}>
            <Input
              id="knowledge-insight-title"
              value={title}
              maxLength={MAX_TITLE_CHARS}
              onChange={(e) => setTitle(e.target.value)}
              placeholder="Invoices are immutable once sent"
            />
          </FormField>
          <FormField label="Insight" htmlFor="knowledge-insight-body" error={fieldErrors.body}>
            <Textarea
              id="knowledge-insight-body"
              rows={6}
              value={body}
              onChange={(e) => setBody(e.target.value)}
              placeholder="Corrections are credit notes; never edit a sent invoice."
            />
          </FormField>
          <FormField
            label="Tags (optional)"
            htmlFor="knowledge-insight-tags"
            hint="Comma-separated."
            error={fieldErrors.tags}
          >
            <Input id="knowledge-insight-tags" value={tags} onChange={(e) => setTags(e.target.value)} />
          </FormField>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose} disabled={save.isPending}>
              Cancel
            </Button>
            <Button type="submit" disabled={save.isPending || !title.trim() || !body.trim()}>
              {save.isPending && <Spinner />}
              {editing === "new" ? "Add insight" : "Save"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
