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
import { MAX_TITLE_CHARS } from "@/lib/knowledge/limits";
import type { KnowledgeDocumentView } from "@/lib/knowledge/types";
import { KnowledgeApiError, type KnowledgeTarget, knowledgeKeys, parseTags, updateDocument } from "./api";

type Props = { target: KnowledgeTarget; document: KnowledgeDocumentView | null; onClose: () => void };

/** Renames a document and changes its tags; the server's field messages show under the fields. */
export function EditDocumentDialog({ target, document, onClose }: Props) {
  const queryClient = useQueryClient();
  const [title, setTitle] = useState("");
  const [tags, setTags] = useState("");
  useEffect(() => {
    if (document) {
      setTitle(document.title);
      setTags(document.tags.join(", "));
    }
  }, [document]);
  const save = useMutation({
    mutationFn: () => {
      if (!document) throw new Error("No document.");
      return updateDocument(target, document.id, { title: title.trim(), tags: parseTags(tags) });
    },
    onSuccess: (saved) => {
      toast.success(`“${saved.title}” was saved.`);
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
      open={document !== null}
      onOpenChange={(open) => {
        if (!open) {
          save.reset();
          onClose();
        }
      }}
    >
      <DialogContent>
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <DialogHeader>
            <DialogTitle>Edit document</DialogTitle>
            <DialogDescription>
              The title and tags show in search results and agents' citations.
            </DialogDescription>
          </DialogHeader>
          <FormField label="Title" htmlFor="knowledge-edit-title" error={fieldErrors.title}>
            <Input
              id="knowledge-edit-title"
              value={title}
              maxLength={MAX_TITLE_CHARS}
              required
              onChange={(e) => setTitle(e.target.value)}
            />
          </FormField>
          <FormField
            label="Tags"
            htmlFor="knowledge-edit-tags"
            hint="Comma-separated."
            error={fieldErrors.tags}
          >
            <Input id="knowledge-edit-tags" value={tags} onChange={(e) => setTags(e.target.value)} />
          </FormField>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose} disabled={save.isPending}>
              Cancel
            </Button>
            <Button type="submit" disabled={save.isPending || !title.trim()}>
              {save.isPending && <Spinner />}
              Save
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
