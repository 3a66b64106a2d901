"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { createOrganizationAction } from "@/app/(app)/orgs/actions";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { SLUG_MAX, suggestSlug } from "@/lib/orgs/slug";

/** Name + URL slug; the slug follows the name until the user edits it. */
export function CreateOrganizationForm() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);

  const create = useMutation({
    mutationFn: (form: FormData) => createOrganizationAction(form),
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      toast.success(`${result.data.name} is ready.`);
      router.push(`/${result.data.slug}`);
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  const error = create.data && !create.data.ok ? create.data.error : null;
  const fieldErrors = error?.fieldErrors ?? {};

  return (
    <form
      noValidate
      className="grid gap-5"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate(new FormData(event.currentTarget));
      }}
    >
      {fieldErrors._ && (
        <Alert variant="destructive">
          <AlertDescription>{fieldErrors._.join(" ")}</AlertDescription>
        </Alert>
      )}
      <FormField label="Organization name" htmlFor="new-org-name" error={fieldErrors.name}>
        <Input
          id="new-org-name"
          name="name"
          required
          minLength={2}
          maxLength={64}
          autoComplete="organization"
          placeholder="Acme Inc."
          autoFocus
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            if (!slugEdited) setSlug(e.target.value.trim() ? suggestSlug(e.target.value) : "");
          }}
        />
      </FormField>
      <FormField
        label="URL slug"
        htmlFor="new-org-slug"
        error={fieldErrors.slug}
        hint={
          <>
            Lowercase letters, digits and hyphens. Your pages will live at{" "}
            <span className="font-mono">/{slug || "…"}</span>.
          </>
        }
      >
        <Input
          id="new-org-slug"
          name="slug"
          maxLength={SLUG_MAX}
          className="font-mono"
          spellCheck={false}
          autoComplete="off"
          placeholder="acme"
          value={slug}
          onChange={(e) => {
            setSlugEdited(true);
            setSlug(e.target.value.toLowerCase());
          }}
        />
      </FormField>
      <SubmitButton pending={create.isPending} pendingText="Creating…">
        Create organization
      </SubmitButton>
    </form>
  );
}
