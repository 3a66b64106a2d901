"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { createProjectAction, updateProjectAction } from "@/app/(app)/[org]/projects/actions";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { PROJECT_LIMITS } from "@/lib/projects/schemas";
import { suggestSlug } from "@/lib/projects/slug";
import { type Project, projectKeys } from "@/lib/projects/types";
import { REPOSITORY_LIMITS } from "@/lib/repos/settings/schemas";

type ProjectFormProps = {
  org: string;
  /** Edit this project; without it the form creates one. */
  project?: Project;
  /** Archived projects are shown read-only. */
  disabled?: boolean;
};

function Counter({ value, max }: { value: string; max: number }) {
  const over = value.length > max;
  return (
    <span className={over ? "text-destructive" : undefined}>
      {value.length.toLocaleString("en-US")} / {max.toLocaleString("en-US")}
    </span>
  );
}

/** Create or edit a project's name, slug, description and brief. */
export function ProjectForm({ org, project, disabled = false }: ProjectFormProps) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState(project?.name ?? "");
  const [slug, setSlug] = useState(project?.slug ?? "");
  // While creating, the slug follows the name until the user types their own.
  const [slugEdited, setSlugEdited] = useState(Boolean(project));
  const [description, setDescription] = useState(project?.description ?? "");
  const [brief, setBrief] = useState(project?.brief ?? "");
  // Creating only: start with a README commit, or import an existing repository.
  const [source, setSource] = useState<"empty" | "import">("empty");

  const save = useMutation({
    mutationFn: (form: FormData) => {
      if (project) return updateProjectAction(org, form);
      const { importUrl, importToken, ...fields } = Object.fromEntries(form) as Record<string, string>;
      const input =
        source === "import" ? { ...fields, import: { url: importUrl ?? "", token: importToken } } : fields;
      return createProjectAction(org, input);
    },
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      queryClient.invalidateQueries({ queryKey: projectKeys.all(org) });
      toast.success(project ? "Project saved." : `Project “${result.data.name}” created.`);
      router.push(`/${org}/projects/${result.data.slug}`);
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });

  const error = save.data && !save.data.ok ? save.data.error : null;
  const fieldErrors = error?.fieldErrors ?? {};
  const formError = fieldErrors._ ?? (error && !error.fieldErrors ? [error.message] : undefined);

  return (
    // noValidate: the server's messages (shown under each field) are the one source of validation.
    <form
      noValidate
      className="grid max-w-3xl gap-6"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(new FormData(event.currentTarget));
      }}
    >
      {formError && (
        <Alert variant="destructive">
          <AlertDescription>{formError.join(" ")}</AlertDescription>
        </Alert>
      )}
      <fieldset disabled={disabled || save.isPending} className="grid gap-6 disabled:opacity-80">
        {project && <input type="hidden" name="project" value={project.slug} />}
        {!project && (
          <div className="grid gap-3">
            <fieldset className="flex flex-wrap gap-4">
              <legend className="mb-2 font-medium text-sm">Repository</legend>
              {(
                [
                  ["empty", "Start empty"],
                  ["import", "Import a repository"],
                ] as const
              ).map(([value, label]) => (
                <Label key={value} className="flex items-center gap-2 font-normal">
                  <input
                    type="radio"
                    name="source"
                    value={value}
                    checked={source === value}
                    onChange={() => setSource(value)}
                  />
                  {label}
                </Label>
              ))}
            </fieldset>
            {source === "import" && (
              <>
                <FormField
                  label="Repository URL"
                  htmlFor="project-import-url"
                  error={fieldErrors["import.url"] ?? fieldErrors["import.provider"]}
                  hint="An https:// git URL. Every branch is copied; the remote stays connected for pushes and pull requests."
                >
                  <Input
                    id="project-import-url"
                    name="importUrl"
                    maxLength={REPOSITORY_LIMITS.url}
                    autoComplete="off"
                    spellCheck={false}
                    className="font-mono"
                    placeholder="https://github.com/owner/name.git"
                  />
                </FormField>
                <FormField
                  label="Access token (optional)"
                  htmlFor="project-import-token"
                  error={fieldErrors["import.token"]}
                  hint="For private repositories, and to push run branches and open pull requests. Stored encrypted."
                >
                  <Input
                    id="project-import-token"
                    name="importToken"
                    type="password"
                    maxLength={REPOSITORY_LIMITS.token}
                    autoComplete="off"
                    className="font-mono"
                  />
                </FormField>
              </>
            )}
          </div>
        )}
        <FormField label="Name" htmlFor="project-name" error={fieldErrors.name}>
          <Input
            id="project-name"
            name="name"
            required
            minLength={PROJECT_LIMITS.nameMin}
            maxLength={PROJECT_LIMITS.nameMax}
            autoComplete="off"
            placeholder="Customer portal"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (!slugEdited) setSlug(e.target.value.trim() ? suggestSlug(e.target.value) : "");
            }}
          />
        </FormField>
        <FormField
          label="URL slug"
          htmlFor="project-slug"
          error={fieldErrors.slug}
          hint={
            <>
              Lowercase letters, digits and hyphens. The project lives at{" "}
              <span className="font-mono">
                /{org}/projects/{slug || "…"}
              </span>
              {project && slug !== project.slug ? "; the old address will stop working." : "."}
            </>
          }
        >
          <Input
            id="project-slug"
            name="slug"
            required={Boolean(project)}
            maxLength={PROJECT_LIMITS.slugMax}
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            value={slug}
            onChange={(e) => {
              setSlug(e.target.value);
              setSlugEdited(true);
            }}
          />
        </FormField>
        <FormField
          label="Description"
          htmlFor="project-description"
          error={fieldErrors.description}
          hint={
            <>
              One or two sentences shown in the project list.{" "}
              <Counter value={description} max={PROJECT_LIMITS.description} />
            </>
          }
        >
          <Textarea
            id="project-description"
            name="description"
            rows={2}
            maxLength={PROJECT_LIMITS.description}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </FormField>
        <FormField
          label="Brief"
          htmlFor="project-brief"
          error={fieldErrors.brief}
          hint={
            <>
              Markdown. The system and goal context agents read before working on this project: what exists,
              what to build, constraints, conventions. <Counter value={brief} max={PROJECT_LIMITS.brief} />
            </>
          }
        >
          <Textarea
            id="project-brief"
            name="brief"
            rows={14}
            maxLength={PROJECT_LIMITS.brief}
            spellCheck={false}
            className="max-h-[60vh] font-mono text-sm"
            placeholder={
              "# Goal\n\nWhat should the swarm deliver?\n\n# Context\n\nStack, repositories, constraints…"
            }
            value={brief}
            onChange={(e) => setBrief(e.target.value)}
          />
        </FormField>
      </fieldset>
      {!disabled && (
        <div className="flex items-center gap-3">
          <SubmitButton
            pending={save.isPending}
            pendingText={project ? "Saving…" : source === "import" ? "Importing…" : "Creating…"}
          >
            {project ? "Save changes" : "Create project"}
          </SubmitButton>
        </div>
      )}
    </form>
  );
}
