"use client";

import { useMutation } from "@tanstack/react-query";
import { GitBranchIcon, PlugIcon, UnplugIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import {
  connectRemoteAction,
  disconnectRemoteAction,
  testRemoteAction,
  updateRepositoryAction,
} from "@/app/(app)/[org]/projects/[project]/settings/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Separator } from "@/components/ui/separator";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionResult } from "@/lib/api/action";
import { REPOSITORY_LIMITS } from "@/lib/repos/settings/schemas";
import type { ProjectCommands, RemoteTestResult, RepositorySettings } from "@/lib/repos/settings/types";

type Props = {
  org: string;
  project: string;
  settings: RepositorySettings;
  /** Viewers (and archived projects) see the settings read-only. */
  readOnly: boolean;
};

const COMMANDS: { key: keyof ProjectCommands; label: string; placeholder: string }[] = [
  { key: "installCommand", label: "Install command", placeholder: "npm ci" },
  { key: "testCommand", label: "Test command", placeholder: "npm test" },
  { key: "buildCommand", label: "Build command", placeholder: "npm run build" },
  { key: "lintCommand", label: "Lint command", placeholder: "npm run lint" },
];

const offline = () => toast.error("Could not reach the server. Check your connection and try again.");

function reportTest(result: ActionResult<RemoteTestResult>) {
  if (!result.ok) return toast.error(result.error.fieldErrors?.url?.[0] ?? result.error.message);
  if (result.data.ok) {
    const branch = result.data.defaultBranch ? `, default branch ${result.data.defaultBranch}` : "";
    return toast.success(`Connected: ${result.data.branches} branches${branch}.`);
  }
  return toast.error(result.data.reason);
}

/** The project's default branch and commands. */
function BranchAndCommands({ org, project, settings, readOnly }: Props) {
  const router = useRouter();
  const [branch, setBranch] = useState(settings.defaultBranch);
  const [commands, setCommands] = useState<Record<keyof ProjectCommands, string>>({
    installCommand: settings.commands.installCommand ?? "",
    testCommand: settings.commands.testCommand ?? "",
    buildCommand: settings.commands.buildCommand ?? "",
    lintCommand: settings.commands.lintCommand ?? "",
  });
  const [image, setImage] = useState(settings.sandboxImage ?? "");
  const save = useMutation({
    mutationFn: () =>
      updateRepositoryAction(org, { project, defaultBranch: branch, ...commands, sandboxImage: image }),
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      toast.success("Repository settings saved.");
      router.refresh();
    },
    onError: offline,
  });
  const fieldErrors = save.data && !save.data.ok ? (save.data.error.fieldErrors ?? {}) : {};

  return (
    <form
      noValidate
      className="grid gap-5"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <fieldset disabled={readOnly || save.isPending} className="grid gap-5 disabled:opacity-80">
        <FormField
          label="Default branch"
          htmlFor="repo-default-branch"
          error={fieldErrors.defaultBranch}
          hint="Runs branch from its head; pull requests target it."
        >
          <Select value={branch} onValueChange={setBranch} disabled={readOnly}>
            <SelectTrigger id="repo-default-branch" className="w-full max-w-md font-mono">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {settings.branches.map((b) => (
                <SelectItem key={b} value={b} className="font-mono">
                  {b}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </FormField>
        {COMMANDS.map(({ key, label, placeholder }) => {
          const detected = settings.detected[key];
          return (
            <FormField
              key={key}
              label={label}
              htmlFor={`repo-${key}`}
              error={fieldErrors[key]}
              hint={
                detected ? (
                  <>
                    Detected: <span className="font-mono">{detected}</span>
                    {!readOnly && commands[key] !== detected && (
                      <Button
                        type="button"
                        variant="link"
                        size="sm"
                        className="h-auto px-1 py-0"
                        onClick={() => setCommands((c) => ({ ...c, [key]: detected }))}
                      >
                        Use it
                      </Button>
                    )}
                  </>
                ) : (
                  "Nothing detected. Run later in the sandbox, never by a shell on this server."
                )
              }
            >
              <Input
                id={`repo-${key}`}
                className="max-w-md font-mono"
                maxLength={REPOSITORY_LIMITS.command}
                spellCheck={false}
                autoComplete="off"
                placeholder={detected ?? placeholder}
                value={commands[key]}
                onChange={(e) => setCommands((c) => ({ ...c, [key]: e.target.value }))}
              />
            </FormField>
          );
        })}
        <FormField
          label="Sandbox image"
          htmlFor="repo-sandboxImage"
          error={fieldErrors.sandboxImage}
          hint={
            <>
              The container image the Docker sandbox runs this project&apos;s commands in (unused by
              bubblewrap). Blank:{" "}
              {settings.defaultSandboxImage ? (
                <span className="font-mono">{settings.defaultSandboxImage}</span>
              ) : (
                "the instance's default Node + Python image"
              )}
              .
            </>
          }
        >
          <Input
            id="repo-sandboxImage"
            className="max-w-md font-mono"
            maxLength={REPOSITORY_LIMITS.image}
            spellCheck={false}
            autoComplete="off"
            placeholder={settings.defaultSandboxImage ?? "node:20-bookworm"}
            value={image}
            onChange={(e) => setImage(e.target.value)}
          />
        </FormField>
      </fieldset>
      {!readOnly && (
        <div>
          <SubmitButton pending={save.isPending} pendingText="Saving…">
            Save repository settings
          </SubmitButton>
        </div>
      )}
    </form>
  );
}

/** Connect, test and disconnect the remote that run branches are pushed to. */
function Remote({ org, project, settings, readOnly }: Props) {
  const router = useRouter();
  const [url, setUrl] = useState("");
  const [token, setToken] = useState("");
  const remote = settings.remote;

  const connect = useMutation({
    mutationFn: () => connectRemoteAction(org, { project, url, token }),
    onSuccess: (result) => {
      if (!result.ok) {
        if (!result.error.fieldErrors) toast.error(result.error.message);
        return;
      }
      toast.success("Remote connected.");
      setUrl("");
      setToken("");
      router.refresh();
    },
    onError: offline,
  });
  const test = useMutation({
    mutationFn: () => testRemoteAction(org, remote ? { project } : { project, url, token }),
    onSuccess: reportTest,
    onError: offline,
  });
  const disconnect = useMutation({
    mutationFn: () => disconnectRemoteAction(org, { project }),
    onSuccess: (result) => {
      if (!result.ok) return toast.error(result.error.message);
      toast.success("Remote disconnected; its token was deleted.");
      router.refresh();
    },
    onError: offline,
  });
  const busy = connect.isPending || test.isPending || disconnect.isPending;

  if (remote) {
    return (
      <div className="grid gap-3">
        <div className="flex flex-wrap items-center gap-2">
          <span className="break-all font-mono text-sm">{remote.url}</span>
          <Badge variant="secondary">
            {remote.provider === "github" ? `GitHub · ${remote.repo}` : "git"}
          </Badge>
          <Badge variant="outline">{remote.hasToken ? "Token stored" : "No token"}</Badge>
        </div>
        {!readOnly && (
          <div className="flex gap-2">
            <Button type="button" variant="outline" disabled={busy} onClick={() => test.mutate()}>
              <PlugIcon />
              {test.isPending ? "Testing…" : "Test connection"}
            </Button>
            <Button type="button" variant="outline" disabled={busy} onClick={() => disconnect.mutate()}>
              <UnplugIcon />
              {disconnect.isPending ? "Disconnecting…" : "Disconnect"}
            </Button>
          </div>
        )}
      </div>
    );
  }
  if (readOnly) return <p className="text-muted-foreground text-sm">No remote is connected.</p>;

  const fieldErrors = connect.data && !connect.data.ok ? (connect.data.error.fieldErrors ?? {}) : {};
  return (
    <form
      noValidate
      className="grid gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        connect.mutate();
      }}
    >
      <fieldset disabled={busy} className="grid gap-4">
        <FormField
          label="Remote URL"
          htmlFor="repo-remote-url"
          error={fieldErrors.url ?? fieldErrors.provider}
          hint="An https:// URL. GitHub remotes (github.com/owner/name) also get pull requests."
        >
          <Input
            id="repo-remote-url"
            className="max-w-xl font-mono"
            maxLength={REPOSITORY_LIMITS.url}
            spellCheck={false}
            autoComplete="off"
            placeholder="https://github.com/owner/name.git"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </FormField>
        <FormField
          label="Access token"
          htmlFor="repo-remote-token"
          error={fieldErrors.token}
          hint="Stored encrypted and sent to git only as a header; it is never shown again."
        >
          <Input
            id="repo-remote-token"
            type="password"
            className="max-w-xl font-mono"
            maxLength={REPOSITORY_LIMITS.token}
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        </FormField>
      </fieldset>
      <div className="flex gap-2">
        <SubmitButton pending={connect.isPending} pendingText="Connecting…" disabled={busy}>
          Connect remote
        </SubmitButton>
        <Button type="button" variant="outline" disabled={busy || !url.trim()} onClick={() => test.mutate()}>
          {test.isPending ? "Testing…" : "Test"}
        </Button>
      </div>
    </form>
  );
}

/** The Repository card of the project settings page. */
export function RepositorySettingsCard(props: Props) {
  return (
    <Card className="max-w-3xl">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <GitBranchIcon className="size-4" aria-hidden="true" />
          Repository
        </CardTitle>
        <CardDescription>
          {props.readOnly
            ? "The project's branch, commands and remote. Your role can view them but not change them."
            : "Where runs branch from, the commands checks run, and the remote run branches are pushed to."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        <BranchAndCommands {...props} />
        <Separator />
        <div className="grid gap-3">
          <h3 className="font-medium text-sm">Remote</h3>
          <Remote {...props} />
        </div>
      </CardContent>
    </Card>
  );
}
