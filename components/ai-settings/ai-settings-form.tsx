"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { saveAiSettingsAction } from "@/app/(app)/[org]/settings/ai/actions";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import { DEMO_MODEL_LABEL } from "@/lib/ai/demo-label";
import type { AiSettingsView } from "@/lib/ai/org-settings";

// Labels repeated here so the browser bundle does not pull in the provider SDKs.
const PROVIDER_OPTIONS = [
  { value: "instance", label: "Use this instance's provider" },
  { value: "openai", label: "OpenAI" },
  { value: "anthropic", label: "Anthropic" },
  { value: "google", label: "Google Gemini" },
  { value: "openai-compatible", label: "OpenAI-compatible server (Ollama, vLLM, LM Studio)" },
  { value: "demo", label: DEMO_MODEL_LABEL },
] as const;

type ProviderFields = {
  baseURL?: string;
  name?: string;
  models?: Record<string, string | undefined>;
  embeddingModel?: string;
};

// Repeated from lib/knowledge/embeddings/embedding-model-for.ts for the same reason.
const DEFAULT_EMBEDDING_MODEL: Record<string, string> = {
  openai: "text-embedding-3-small",
  google: "gemini-embedding-001",
};

export function AiSettingsForm({ orgSlug, settings }: { orgSlug: string; settings: AiSettingsView }) {
  const router = useRouter();
  const [kind, setKind] = useState<string>(settings.provider?.kind ?? "instance");
  const [apiKey, setApiKey] = useState("");
  const [clearKey, setClearKey] = useState(false);
  const [installNetwork, setInstallNetwork] = useState(settings.installWithNetwork);
  const provider = (settings.provider ?? {}) as ProviderFields;
  const needsConnection = kind !== "instance" && kind !== "demo";
  const storedKeyApplies = settings.hasKey && settings.provider?.kind === kind;

  const save = useMutation({
    mutationFn: (form: FormData) =>
      saveAiSettingsAction(orgSlug, {
        providerKind: kind,
        apiKey,
        clearKey,
        baseURL: form.get("baseURL") ?? "",
        name: form.get("name") ?? "",
        modelFast: form.get("modelFast") ?? "",
        modelStandard: form.get("modelStandard") ?? "",
        modelDeep: form.get("modelDeep") ?? "",
        embeddingModel: form.get("embeddingModel") ?? "",
        defaultTokenBudget: form.get("defaultTokenBudget"),
        maxConcurrentRuns: form.get("maxConcurrentRuns"),
        standards: form.get("standards") ?? "",
        installWithNetwork: installNetwork,
      }),
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      setApiKey("");
      setClearKey(false);
      toast.success("AI settings saved.");
      router.refresh();
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  const error = save.data && !save.data.ok ? save.data.error : null;
  const fieldErrors = error?.fieldErrors ?? {};

  return (
    <form
      noValidate
      className="grid gap-6"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(new FormData(event.currentTarget));
      }}
    >
      {error?.fieldErrors && (
        <Alert variant="destructive">
          <AlertDescription>{error.message}</AlertDescription>
        </Alert>
      )}
      <FormField label="Model provider" htmlFor="ai-provider" error={fieldErrors.providerKind}>
        <Select value={kind} onValueChange={setKind}>
          <SelectTrigger id="ai-provider" className="w-full max-w-md">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {PROVIDER_OPTIONS.map((option) => (
              <SelectItem key={option.value} value={option.value}>
                {option.label}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </FormField>
      {needsConnection && (
        <div className="grid gap-4 rounded-lg border p-4">
          {kind === "openai-compatible" && (
            <FormField
              label="Server name"
              htmlFor="ai-name"
              error={fieldErrors.name}
              hint="e.g. ollama, vllm"
            >
              <Input id="ai-name" name="name" defaultValue={provider.name} spellCheck={false} />
            </FormField>
          )}
          <FormField
            label="Base URL"
            htmlFor="ai-base-url"
            error={fieldErrors.baseURL}
            hint={
              kind === "openai-compatible"
                ? "e.g. http://localhost:11434/v1"
                : "Optional: a proxy or gateway."
            }
          >
            <Input
              id="ai-base-url"
              name="baseURL"
              type="url"
              defaultValue={provider.baseURL}
              spellCheck={false}
            />
          </FormField>
          <FormField
            label="API key"
            htmlFor="ai-api-key"
            error={fieldErrors.apiKey}
            hint={
              storedKeyApplies
                ? "A key is stored (encrypted). Leave blank to keep it, or enter a new one to replace it."
                : "Stored encrypted; it is never shown again."
            }
          >
            <Input
              id="ai-api-key"
              type="password"
              autoComplete="new-password"
              spellCheck={false}
              value={apiKey}
              onChange={(event) => setApiKey(event.target.value)}
              placeholder={storedKeyApplies ? "•••••••• (unchanged)" : undefined}
            />
          </FormField>
          {storedKeyApplies && (
            <div className="flex items-center gap-3">
              <Switch id="ai-clear-key" checked={clearKey} onCheckedChange={setClearKey} />
              <Label htmlFor="ai-clear-key">Remove the stored key</Label>
            </div>
          )}
          <div className="grid gap-4 sm:grid-cols-3">
            {(["Fast", "Standard", "Deep"] as const).map((tier) => (
              <FormField
                key={tier}
                label={`${tier} model`}
                htmlFor={`ai-model-${tier}`}
                error={fieldErrors[`model${tier}`]}
              >
                <Input
                  id={`ai-model-${tier}`}
                  name={`model${tier}`}
                  defaultValue={provider.models?.[tier.toLowerCase()]}
                  placeholder="Provider default"
                  spellCheck={false}
                />
              </FormField>
            ))}
          </div>
          {kind !== "anthropic" && (
            <FormField
              label="Embedding model"
              htmlFor="ai-embedding-model"
              error={fieldErrors.embeddingModel}
              hint={
                kind === "openai-compatible"
                  ? "Lets knowledge search find passages by meaning, e.g. nomic-embed-text. Blank: this server embeds nothing and search uses full text only."
                  : `Lets knowledge search find passages by meaning. Blank: ${DEFAULT_EMBEDDING_MODEL[kind] ?? "the provider's default"}; “none” turns it off. Changing it re-embeds every passage.`
              }
            >
              <Input
                id="ai-embedding-model"
                name="embeddingModel"
                className="max-w-md"
                defaultValue={provider.embeddingModel}
                placeholder={DEFAULT_EMBEDDING_MODEL[kind] ?? "None"}
                spellCheck={false}
              />
            </FormField>
          )}
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField
          label="Default token budget per run"
          htmlFor="ai-budget"
          error={fieldErrors.defaultTokenBudget}
          hint="A run stops with “budget exhausted” when it has used this many tokens; it can be resumed with more."
        >
          <Input
            id="ai-budget"
            name="defaultTokenBudget"
            type="number"
            min={1000}
            step={1000}
            defaultValue={settings.defaultTokenBudget}
          />
        </FormField>
        <FormField
          label="Runs at the same time"
          htmlFor="ai-concurrency"
          error={fieldErrors.maxConcurrentRuns}
          hint="Further runs wait in the queue."
        >
          <Input
            id="ai-concurrency"
            name="maxConcurrentRuns"
            type="number"
            min={1}
            max={20}
            defaultValue={settings.maxConcurrentRuns}
          />
        </FormField>
      </div>
      <FormField
        label="Organization standards"
        htmlFor="ai-standards"
        error={fieldErrors.standards}
        hint="Every agent is told to follow these: coding conventions, tone, compliance rules, preferred technologies."
      >
        <Textarea id="ai-standards" name="standards" rows={8} defaultValue={settings.standards} />
      </FormField>
      <fieldset className="grid gap-3 rounded-lg border p-4">
        <legend className="px-1 font-medium text-sm">Code execution</legend>
        <div className="flex items-start gap-3">
          <Switch
            id="ai-install-network"
            checked={installNetwork}
            onCheckedChange={setInstallNetwork}
            aria-describedby="ai-install-network-hint"
            aria-invalid={fieldErrors.installWithNetwork ? true : undefined}
          />
          <div className="grid gap-1">
            <Label htmlFor="ai-install-network">Install dependencies with network</Label>
            <p id="ai-install-network-hint" className="text-muted-foreground text-sm">
              Before the offline checks, the project&apos;s install command (e.g.{" "}
              <code className="font-mono">npm ci</code>) runs in the sandbox <strong>with</strong> network
              access; everything else runs without network. Off: no command reaches the network, so
              dependencies not already in the repository cannot be installed. Changes are audited.
            </p>
            {fieldErrors.installWithNetwork && (
              <p className="text-destructive text-sm">{fieldErrors.installWithNetwork[0]}</p>
            )}
          </div>
        </div>
      </fieldset>
      <div>
        <SubmitButton pending={save.isPending} pendingText="Saving…">
          Save settings
        </SubmitButton>
      </div>
    </form>
  );
}
