"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { createAgentAction } from "@/app/(app)/[org]/agents/actions";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldError, FormField, fieldIds } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";

type Option = { value: string; label: string };

type NewAgentFormProps = {
  orgSlug: string;
  /** The choices come from the server page so this bundle does not pull in the agent schema modules. */
  categories: Option[];
  modelTiers: readonly string[];
  tools: readonly string[];
  artifactKinds: Option[];
  /** Tools ticked to start with. */
  defaultTools: readonly string[];
};

const PROMPT_MIN = 200;

/** "Release Notes Writer" → "release-notes-writer"; the slug must start with a letter. */
function suggestSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, 64)
    .replace(/-+$/, "");
}

/** Array fields report per-item errors as `tools.2`; show them all under the group. */
function errorsUnder(fieldErrors: Record<string, string[]>, field: string): string[] | undefined {
  const messages = Object.entries(fieldErrors)
    .filter(([key]) => key === field || key.startsWith(`${field}.`))
    .flatMap(([, m]) => m);
  return messages.length ? [...new Set(messages)] : undefined;
}

function CheckboxGroup({
  legend,
  name,
  options,
  selected,
  onChange,
  error,
  hint,
  mono = false,
}: {
  legend: string;
  name: string;
  options: Option[];
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  error?: string[];
  hint?: string;
  mono?: boolean;
}) {
  const ids = fieldIds(`agent-${name}`);
  return (
    <fieldset
      className="grid gap-2"
      aria-describedby={
        [hint ? ids.hint : null, error ? ids.error : null].filter(Boolean).join(" ") || undefined
      }
    >
      <legend className={error ? "mb-2 font-medium text-destructive text-sm" : "mb-2 font-medium text-sm"}>
        {legend}
      </legend>
      {hint && (
        <p id={ids.hint} className="text-muted-foreground text-sm">
          {hint}
        </p>
      )}
      <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
        {options.map((o) => {
          const id = `agent-${name}-${o.value}`;
          return (
            <div key={o.value} className="flex items-center gap-2">
              <Checkbox
                id={id}
                checked={selected.has(o.value)}
                aria-invalid={error ? true : undefined}
                onCheckedChange={(checked) => {
                  const next = new Set(selected);
                  if (checked === true) next.add(o.value);
                  else next.delete(o.value);
                  onChange(next);
                }}
              />
              <Label htmlFor={id} className={mono ? "font-mono font-normal text-xs" : "font-normal"}>
                {o.label}
              </Label>
            </div>
          );
        })}
      </div>
      <FieldError id={ids.error} messages={error} />
    </fieldset>
  );
}

/** Creates an organization agent from scratch; the server validates with the agent definition schema. */
export function NewAgentForm({
  orgSlug,
  categories,
  modelTiers,
  tools,
  artifactKinds,
  defaultTools,
}: NewAgentFormProps) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  // The slug follows the name until the user types their own.
  const [slugEdited, setSlugEdited] = useState(false);
  const [category, setCategory] = useState("");
  const [modelTier, setModelTier] = useState("standard");
  const [prompt, setPrompt] = useState("");
  const [toolSet, setToolSet] = useState<Set<string>>(() => new Set(defaultTools));
  const [kindSet, setKindSet] = useState<Set<string>>(() => new Set());

  const create = useMutation({
    mutationFn: (form: FormData) =>
      createAgentAction(orgSlug, {
        name: form.get("name"),
        slug: form.get("slug"),
        category: category || undefined,
        whenToUse: form.get("whenToUse"),
        systemPrompt: form.get("systemPrompt"),
        // Keep the catalog's order, not the order of clicks.
        tools: tools.filter((t) => toolSet.has(t)),
        modelTier,
        artifactKinds: artifactKinds.map((k) => k.value).filter((k) => kindSet.has(k)),
      }),
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      toast.success(`Agent “${result.data.name}” created.`);
      router.push(`/${orgSlug}/agents/${result.data.slug}`);
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });

  const error = create.data && !create.data.ok ? create.data.error : null;
  const fieldErrors = error?.fieldErrors ?? {};
  const formError = fieldErrors._;
  const categoryIds = fieldIds("agent-category");
  const tierIds = fieldIds("agent-tier");

  return (
    // noValidate: the server's messages (shown under each field) are the one source of validation.
    <form
      noValidate
      className="grid max-w-3xl gap-6"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate(new FormData(event.currentTarget));
      }}
    >
      {formError && (
        <Alert variant="destructive">
          <AlertDescription>{formError.join(" ")}</AlertDescription>
        </Alert>
      )}
      <fieldset disabled={create.isPending} className="grid gap-6 disabled:opacity-80">
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField label="Name" htmlFor="agent-name" error={fieldErrors.name}>
            <Input
              id="agent-name"
              name="name"
              autoComplete="off"
              placeholder="Release notes writer"
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                if (!slugEdited) setSlug(suggestSlug(e.target.value));
              }}
            />
          </FormField>
          <FormField
            label="Slug"
            htmlFor="agent-slug"
            error={fieldErrors.slug}
            hint="Lowercase letters, digits and dashes. Runs refer to the agent by it."
          >
            <Input
              id="agent-slug"
              name="slug"
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
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField label="Category" htmlFor="agent-category" error={fieldErrors.category}>
            <Select value={category} onValueChange={setCategory}>
              <SelectTrigger
                id="agent-category"
                className="w-full"
                aria-invalid={fieldErrors.category ? true : undefined}
                aria-describedby={fieldErrors.category ? categoryIds.error : undefined}
              >
                <SelectValue placeholder="Choose a category" />
              </SelectTrigger>
              <SelectContent>
                {categories.map((c) => (
                  <SelectItem key={c.value} value={c.value}>
                    {c.label}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </FormField>
          <FormField
            label="Model tier"
            htmlFor="agent-tier"
            error={fieldErrors.modelTier}
            hint="Fast for routine work, deep for the hardest reasoning."
          >
            <Select value={modelTier} onValueChange={setModelTier}>
              <SelectTrigger
                id="agent-tier"
                className="w-full"
                aria-invalid={fieldErrors.modelTier ? true : undefined}
                aria-describedby={
                  [tierIds.hint, fieldErrors.modelTier ? tierIds.error : null].filter(Boolean).join(" ") ||
                  undefined
                }
              >
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {modelTiers.map((t) => (
                  <SelectItem key={t} value={t}>
                    {t}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </FormField>
        </div>
        <FormField
          label="When to use"
          htmlFor="agent-when"
          error={fieldErrors.whenToUse}
          hint="The planner reads this to decide which tasks to give the agent."
        >
          <Textarea id="agent-when" name="whenToUse" rows={3} />
        </FormField>
        <FormField
          label="System prompt"
          htmlFor="agent-prompt"
          error={fieldErrors.systemPrompt}
          hint={`The agent's role, method and standards. At least ${PROMPT_MIN} characters (${prompt.trim().length.toLocaleString("en-US")} so far).`}
        >
          <Textarea
            id="agent-prompt"
            name="systemPrompt"
            rows={14}
            spellCheck={false}
            className="max-h-[60vh] font-mono text-xs"
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
          />
        </FormField>
        <CheckboxGroup
          legend="Tools"
          name="tools"
          options={tools.map((t) => ({ value: t, label: t }))}
          selected={toolSet}
          onChange={setToolSet}
          error={errorsUnder(fieldErrors, "tools")}
          hint="What the agent may do during a run."
          mono
        />
        <CheckboxGroup
          legend="Artifact kinds"
          name="artifactKinds"
          options={artifactKinds}
          selected={kindSet}
          onChange={setKindSet}
          error={errorsUnder(fieldErrors, "artifactKinds")}
          hint="What the agent produces; the reviewer checks each against its expected sections."
        />
      </fieldset>
      <div>
        <SubmitButton pending={create.isPending} pendingText="Creating…">
          Create agent
        </SubmitButton>
      </div>
    </form>
  );
}
