"use client";

import { CheckIcon, UploadIcon, XIcon } from "lucide-react";
import { useId, useRef, useState } from "react";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { MAX_TAG_CHARS, MAX_TAGS, MAX_TITLE_CHARS } from "@/lib/knowledge/limits";
import { cn } from "@/lib/utils";
import { parseTags } from "./api";
import { ACCEPT_ATTRIBUTE, formatBytes } from "./files";
import type { Uploads } from "./use-uploads";

type Props = {
  uploads: Uploads;
  maxBytes: number;
  /** Where the files go, for the explanation ("this project", "the organization"). */
  scopeLabel: string;
};

/**
 * Files in by drag and drop or the file picker; the zone is a button, so Enter or Space opens the
 * picker from the keyboard. Optional title (one file) and tags (every file) go with them.
 */
export function DropZone({ uploads, maxBytes, scopeLabel }: Props) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [title, setTitle] = useState("");
  const [tags, setTags] = useState("");
  const tagList = parseTags(tags);
  const tagError =
    tagList.length > MAX_TAGS
      ? [`At most ${MAX_TAGS} tags.`]
      : tagList.some((t) => t.length > MAX_TAG_CHARS)
        ? [`Tags are at most ${MAX_TAG_CHARS} characters.`]
        : undefined;

  const send = (files: FileList | null) => {
    if (!files?.length) return;
    if (tagError) {
      toast.error(`Fix the tags first: ${tagError[0]}`);
      return;
    }
    void uploads.upload([...files], { title, tags: tagList });
    setTitle("");
  };

  return (
    <div className="grid gap-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label="Title (optional)" htmlFor={`${id}-title`} hint="For a single file; else its name.">
          <Input
            id={`${id}-title`}
            value={title}
            maxLength={MAX_TITLE_CHARS}
            onChange={(e) => setTitle(e.target.value)}
            placeholder="Deployment guide"
          />
        </FormField>
        <FormField
          label="Tags (optional)"
          htmlFor={`${id}-tags`}
          hint="Comma-separated, e.g. standards, api."
          error={tagError}
        >
          <Input
            id={`${id}-tags`}
            value={tags}
            onChange={(e) => setTags(e.target.value)}
            placeholder="standards"
          />
        </FormField>
      </div>
      <button
        type="button"
        aria-describedby={`${id}-formats`}
        onClick={() => input.current?.click()}
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = "copy";
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          send(e.dataTransfer.files);
        }}
        className={cn(
          "flex min-h-36 w-full cursor-pointer flex-col items-center justify-center gap-2 rounded-xl border-2 border-dashed px-6 py-8 text-center outline-none transition-colors",
          "hover:bg-accent/40 focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50",
          dragging ? "border-primary bg-primary/5" : "border-input",
        )}
      >
        <UploadIcon className="size-6 text-muted-foreground" aria-hidden="true" />
        <span className="font-medium text-sm">Drop files here or choose files to upload</span>
        <span id={`${id}-formats`} className="text-muted-foreground text-xs">
          Markdown, text, HTML, PDF and code files, up to {formatBytes(maxBytes)} each. They are added to{" "}
          {scopeLabel}.
        </span>
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT_ATTRIBUTE}
        // The drop zone button opens it; hidden from the keyboard and assistive technologies.
        hidden
        data-testid="knowledge-file-input"
        onChange={(e) => {
          send(e.target.files);
          e.target.value = "";
        }}
      />
      {uploads.rejected.length > 0 && (
        <Alert variant="destructive">
          <AlertDescription>
            <ul className="grid gap-1">
              {uploads.rejected.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
            <Button variant="link" size="sm" className="h-auto p-0" onClick={uploads.clearRejected}>
              Dismiss
            </Button>
          </AlertDescription>
        </Alert>
      )}
      <UploadProgress uploads={uploads} />
    </div>
  );
}

/** The files being sent, with their progress. */
export function UploadProgress({ uploads }: { uploads: Uploads }) {
  if (uploads.items.length === 0) return null;
  return (
    <ul className="grid gap-2" aria-label="Uploads">
      {uploads.items.map((item) => {
        const percent = Math.round(item.progress * 100);
        return (
          <li key={item.key} className="grid gap-1 rounded-md border px-3 py-2 text-sm">
            <div className="flex items-center justify-between gap-2">
              <span className="truncate font-medium">
                {item.name}
                {item.newVersion && <span className="text-muted-foreground"> (new version)</span>}
              </span>
              {item.state === "uploading" && (
                <span className="text-muted-foreground tabular-nums">{percent}%</span>
              )}
              {item.state === "sent" && (
                <span className="flex items-center gap-1 text-success">
                  <CheckIcon className="size-4" aria-hidden="true" />
                  Sent
                </span>
              )}
              {item.state === "failed" && (
                <Button
                  variant="ghost"
                  size="icon"
                  className="size-6"
                  aria-label={`Dismiss ${item.name}`}
                  onClick={() => uploads.dismiss(item.key)}
                >
                  <XIcon />
                </Button>
              )}
            </div>
            {item.state === "failed" ? (
              <p className="text-destructive text-xs" role="alert">
                {item.error}
              </p>
            ) : (
              <div
                role="progressbar"
                aria-label={`Uploading ${item.name}`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={percent}
                className="h-1.5 overflow-hidden rounded-full bg-muted"
              >
                <div className="h-full bg-primary transition-[width]" style={{ width: `${percent}%` }} />
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
