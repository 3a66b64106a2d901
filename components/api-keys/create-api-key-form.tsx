"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { createApiKeyAction } from "@/app/(app)/[org]/settings/api-keys/actions";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldError, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { type KeyConfig, NewKeySecret } from "./new-key-secret";

export type ScopeOption = { scope: string; label: string; allowed: boolean };
export type ScopeGroupOption = { label: string; scopes: ScopeOption[] };
export type PresetOption = { id: string; label: string; description: string; scopes: string[] };

type CreateApiKeyFormProps = {
  orgSlug: string;
  groups: ScopeGroupOption[];
  presets: PresetOption[];
  /** Client configurations with a placeholder where the new secret goes. */
  configs: KeyConfig[];
  placeholder: string;
};

const EXPIRY_OPTIONS = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "Never" },
];

/** Name, scopes (or a preset) and expiry; after creating, the secret is shown once with ready-made configs. */
export function CreateApiKeyForm({ orgSlug, groups, presets, configs, placeholder }: CreateApiKeyFormProps) {
  const router = useRouter();
  const [scopes, setScopes] = useState<Set<string>>(new Set());
  const [expiry, setExpiry] = useState("90");
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);

  const create = useMutation({
    mutationFn: (form: FormData) =>
      createApiKeyAction(orgSlug, {
        name: form.get("name"),
        scopes: [...scopes],
        expiresInDays: expiry === "never" ? null : Number(expiry),
      }),
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      setCreated({ name: result.data.key.name, secret: result.data.secret });
      setScopes(new Set());
      router.refresh();
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  const error = create.data && !create.data.ok ? create.data.error : null;
  const fieldErrors = error?.fieldErrors ?? {};

  if (created) {
    return (
      <NewKeySecret
        name={created.name}
        secret={created.secret}
        configs={configs}
        placeholder={placeholder}
        onDone={() => {
          setCreated(null);
          create.reset();
        }}
      />
    );
  }

  const toggle = (scope: string, on: boolean) =>
    setScopes((prev) => {
      const next = new Set(prev);
      if (on) next.add(scope);
      else next.delete(scope);
      return next;
    });

  return (
    <form
      noValidate
      className="grid gap-6"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate(new FormData(event.currentTarget));
      }}
    >
      {error?.fieldErrors && (
        <Alert variant="destructive">
          <AlertDescription>{error.message}</AlertDescription>
        </Alert>
      )}
      <FormField
        label="Name"
        htmlFor="api-key-name"
        error={fieldErrors.name}
        hint="Where it is used, e.g. “GitHub Actions” or “Ana’s Cursor”."
      >
        <Input id="api-key-name" name="name" required maxLength={80} autoComplete="off" />
      </FormField>
      <div className="grid gap-3">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium text-sm">Presets</span>
          {presets.map((preset) => (
            <Button
              key={preset.id}
              type="button"
              variant="outline"
              size="sm"
              title={preset.description}
              onClick={() => setScopes(new Set(preset.scopes))}
            >
              {preset.label}
            </Button>
          ))}
        </div>
        <fieldset className="grid gap-4 rounded-lg border p-4" aria-describedby="api-key-scopes-error">
          <legend className="px-1 font-medium text-sm">Scopes</legend>
          {groups.map((group) => (
            <div key={group.label} className="grid gap-2">
              <p className="font-medium text-muted-foreground text-xs uppercase tracking-wide">
                {group.label}
              </p>
              {group.scopes.map((option) => {
                const id = `scope-${option.scope.replace(/\W/g, "-")}`;
                return (
                  <div key={option.scope} className="flex items-start gap-2">
                    <Checkbox
                      id={id}
                      checked={scopes.has(option.scope)}
                      disabled={!option.allowed}
                      onCheckedChange={(checked) => toggle(option.scope, checked === true)}
                    />
                    <Label htmlFor={id} className="grid gap-0.5 font-normal">
                      <span className="font-mono text-xs">{option.scope}</span>
                      <span className="text-muted-foreground text-sm">
                        {option.label}
                        {!option.allowed && " — your role cannot grant this"}
                      </span>
                    </Label>
                  </div>
                );
              })}
            </div>
          ))}
        </fieldset>
        <FieldError id="api-key-scopes-error" messages={fieldErrors.scopes} />
      </div>
      <FormField label="Expires" htmlFor="api-key-expiry" error={fieldErrors.expiresInDays}>
        <Select value={expiry} onValueChange={setExpiry}>
          <SelectTrigger id="api-key-expiry" className="w-48">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {EXPIRY_OPTIONS.map((option) => (
              <SelectItem key={option.value} value={option.value}>
                {option.label}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </FormField>
      <div>
        <SubmitButton pending={create.isPending}>Create key</SubmitButton>
      </div>
    </form>
  );
}
