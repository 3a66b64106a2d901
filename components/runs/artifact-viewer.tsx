"use client";

import { diffLines } from "diff";
import { CheckIcon, CopyIcon, FileCodeIcon, FileTextIcon } from "lucide-react";
import { memo, useMemo, useState } from "react";
import { DemoModelBadge } from "@/components/runs/demo-model-badge";
import { CodeBlock, Markdown } from "@/components/runs/markdown";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { ARTIFACT_KIND_SPECS, type ArtifactFormat } from "@/lib/agents/artifact-kinds";
import { cn, formatDateTime } from "@/lib/utils";

export type ArtifactVersion = { version: number; content: string; createdAt: string | Date };

export type ViewerArtifact = {
  id: string;
  kind: string;
  title: string;
  /** For code: the file path, used to pick the highlighting language when `language` is absent. */
  path?: string | null;
  language?: string | null;
  versions: ArtifactVersion[];
  /**
   * The latest version the run has announced; when it is above the versions given, its content is
   * on its way (the page shows that rather than stale content as the latest).
   */
  latestVersion?: number;
};

export type ArtifactViewerProps = {
  artifacts: ViewerArtifact[];
  /** Artifacts of this kind are listed first (the run's main deliverable). */
  primaryKind?: string | null;
  usesDemoModel?: boolean;
  /** The artifact shown, when the page chooses it (e.g. from an approval's link); else the viewer does. */
  selectedId?: string | null;
  onSelect?: (id: string) => void;
  id?: string;
  className?: string;
};

const KIND_SPECS = ARTIFACT_KIND_SPECS as Record<
  string,
  { label: string; format: ArtifactFormat } | undefined
>;

const kindLabel = (kind: string) => KIND_SPECS[kind]?.label ?? kind.replace(/[_-]+/g, " ");
const formatOf = (kind: string): ArtifactFormat => KIND_SPECS[kind]?.format ?? "markdown";

/** A highlight.js language name or alias from an explicit language or the file extension. */
function languageOf(artifact: ViewerArtifact): string | null {
  if (artifact.language) return artifact.language.toLowerCase();
  const name = artifact.path ?? artifact.title;
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (!ext) return null;
  if (name.toLowerCase().endsWith("dockerfile")) return "bash";
  return ext === "md" ? "markdown" : ext;
}

function prettyJson(content: string): string {
  try {
    return JSON.stringify(JSON.parse(content), null, 2);
  } catch {
    return content;
  }
}

function ArtifactContent({ artifact, content }: { artifact: ViewerArtifact; content: string }) {
  const format = formatOf(artifact.kind);
  if (format === "json") return <CodeBlock className="run-code" code={prettyJson(content)} language="json" />;
  if (format === "code")
    return <CodeBlock className="run-code" code={content} language={languageOf(artifact)} />;
  return <Markdown>{content}</Markdown>;
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant="ghost"
      size="sm"
      onClick={async () => {
        await navigator.clipboard.writeText(text);
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
      {copied ? "Copied" : "Copy"}
    </Button>
  );
}

function VersionSelect({
  versions,
  value,
  onChange,
  label,
}: {
  versions: ArtifactVersion[];
  value: number;
  onChange: (version: number) => void;
  label: string;
}) {
  const latest = versions[versions.length - 1]?.version;
  return (
    <Select value={String(value)} onValueChange={(v) => onChange(Number(v))}>
      <SelectTrigger size="sm" aria-label={label} className="min-w-40">
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {[...versions].reverse().map((v) => (
          <SelectItem key={v.version} value={String(v.version)}>
            Version {v.version}
            {v.version === latest ? " (latest)" : ""} · {formatDateTime(v.createdAt)}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}

/** A line diff between two versions, with line numbers and a +/- gutter. */
export function VersionDiff({ before, after }: { before: string; after: string }) {
  const rows = useMemo(() => {
    let oldLine = 1;
    let newLine = 1;
    const out: { key: string; type: "add" | "del" | "same"; text: string; oldNo?: number; newNo?: number }[] =
      [];
    for (const change of diffLines(before, after)) {
      const lines = change.value.replace(/\n$/, "").split("\n");
      for (const text of lines) {
        if (change.added) out.push({ key: `a${newLine}`, type: "add", text, newNo: newLine++ });
        else if (change.removed) out.push({ key: `d${oldLine}`, type: "del", text, oldNo: oldLine++ });
        else
          out.push({ key: `s${oldLine}-${newLine}`, type: "same", text, oldNo: oldLine++, newNo: newLine++ });
      }
    }
    return out;
  }, [before, after]);

  const added = rows.filter((r) => r.type === "add").length;
  const removed = rows.filter((r) => r.type === "del").length;

  return (
    <div className="space-y-2">
      <p className="text-sm">
        <span className="font-medium text-success">+{added}</span>{" "}
        <span className="font-medium text-destructive">−{removed}</span>{" "}
        <span className="text-muted-foreground">lines</span>
        {added === 0 && removed === 0 && (
          <span className="text-muted-foreground"> · the versions are identical</span>
        )}
      </p>
      <div className="relative overflow-x-auto rounded-md border font-mono text-xs leading-relaxed">
        <table className="w-full border-collapse">
          <caption className="sr-only">Line changes between the two versions</caption>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.key}
                className={cn(
                  row.type === "add" && "bg-success/10 dark:bg-success/15",
                  row.type === "del" && "bg-destructive/10 dark:bg-destructive/15",
                )}
              >
                <td className="w-10 select-none px-2 text-right align-top text-muted-foreground">
                  {row.oldNo}
                </td>
                <td className="w-10 select-none px-2 text-right align-top text-muted-foreground">
                  {row.newNo}
                </td>
                <td
                  className={cn(
                    "w-5 select-none text-center align-top",
                    row.type === "add" && "text-success",
                    row.type === "del" && "text-destructive",
                  )}
                >
                  {row.type === "add" ? "+" : row.type === "del" ? "−" : ""}
                  <span className="sr-only">
                    {row.type === "add" ? "added" : row.type === "del" ? "removed" : "unchanged"}
                  </span>
                </td>
                <td className="whitespace-pre-wrap break-all pr-3 align-top">{row.text || " "}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ArtifactPanel({ artifact, usesDemoModel }: { artifact: ViewerArtifact; usesDemoModel: boolean }) {
  const versions = useMemo(
    () => [...artifact.versions].sort((a, b) => a.version - b.version),
    [artifact.versions],
  );
  const newest = versions[versions.length - 1];
  const [selected, setSelected] = useState<number | null>(null);
  const [compareFrom, setCompareFrom] = useState<number | null>(null);
  const [compareTo, setCompareTo] = useState<number | null>(null);
  const current = versions.find((v) => v.version === selected) ?? newest;
  const loading = artifact.latestVersion !== undefined && artifact.latestVersion > (newest?.version ?? 0);

  if (!current) {
    return (
      <div className="flex items-center gap-2 py-12 text-muted-foreground text-sm">
        <Spinner /> Loading the artifact…
      </div>
    );
  }

  const to = versions.find((v) => v.version === compareTo) ?? newest ?? current;
  const from =
    versions.find((v) => v.version === compareFrom) ??
    [...versions].reverse().find((v) => v.version < to.version) ??
    versions[0] ??
    current;

  return (
    <div className="min-w-0 space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <h3 className="font-semibold text-lg leading-tight">{artifact.title}</h3>
          <div className="flex flex-wrap items-center gap-2 text-muted-foreground text-xs">
            <Badge variant="secondary">{kindLabel(artifact.kind)}</Badge>
            {artifact.path && <span className="font-mono">{artifact.path}</span>}
            <span>
              {versions.length} {versions.length === 1 ? "version" : "versions"}
            </span>
          </div>
        </div>
        <CopyButton text={current.content} />
      </div>
      {usesDemoModel && <DemoModelBadge variant="banner" />}
      {loading && (
        <p className="flex items-center gap-2 text-muted-foreground text-sm" role="status">
          <Spinner aria-hidden="true" /> Version {artifact.latestVersion} was just saved; loading it…
        </p>
      )}
      <Tabs defaultValue="document">
        <TabsList>
          <TabsTrigger value="document">Document</TabsTrigger>
          <TabsTrigger value="changes" disabled={versions.length < 2}>
            Changes
          </TabsTrigger>
        </TabsList>
        <TabsContent value="document" className="space-y-3">
          {versions.length > 1 && (
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <VersionSelect
                label="Version shown"
                versions={versions}
                value={current.version}
                onChange={setSelected}
              />
              <span className="text-muted-foreground text-xs">Saved {formatDateTime(current.createdAt)}</span>
            </div>
          )}
          <div
            className={cn(
              "rounded-lg border bg-card",
              formatOf(artifact.kind) === "markdown" ? "p-4 sm:p-6" : "overflow-hidden",
            )}
          >
            <ArtifactContent artifact={artifact} content={current.content} />
          </div>
        </TabsContent>
        <TabsContent value="changes" className="space-y-3">
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <VersionSelect
              label="Compare from"
              versions={versions}
              value={from.version}
              onChange={setCompareFrom}
            />
            <span className="text-muted-foreground">to</span>
            <VersionSelect
              label="Compare to"
              versions={versions}
              value={to.version}
              onChange={setCompareTo}
            />
          </div>
          <VersionDiff before={from.content} after={to.content} />
        </TabsContent>
      </Tabs>
    </div>
  );
}

/** The run's artifacts: rendered documents, highlighted code, versions and diffs between them. */
export const ArtifactViewer = memo(function ArtifactViewer({
  artifacts,
  primaryKind,
  usesDemoModel = false,
  selectedId: chosenId,
  onSelect,
  id,
  className,
}: ArtifactViewerProps) {
  const sorted = useMemo(
    () =>
      primaryKind
        ? [...artifacts].sort((a, b) => Number(b.kind === primaryKind) - Number(a.kind === primaryKind))
        : artifacts,
    [artifacts, primaryKind],
  );
  const [ownSelectedId, setOwnSelectedId] = useState<string | null>(null);
  const selectedId = chosenId !== undefined ? chosenId : ownSelectedId;
  const setSelectedId = (artifactId: string) =>
    onSelect ? onSelect(artifactId) : setOwnSelectedId(artifactId);
  const selected = sorted.find((a) => a.id === selectedId) ?? sorted[0];

  if (!selected) {
    return (
      <EmptyState
        className={className}
        icon={<FileTextIcon />}
        title="No artifacts yet"
        description="Documents and code the agents write appear here, with every version they save."
      />
    );
  }

  return (
    <div id={id} className={cn("grid gap-4 md:grid-cols-[15rem_minmax(0,1fr)]", className)}>
      <nav aria-label="Artifacts" className="min-w-0">
        <ul className="flex gap-1 overflow-x-auto pb-1 md:flex-col md:overflow-visible md:pb-0">
          {sorted.map((artifact) => {
            const active = artifact.id === selected.id;
            const Icon = formatOf(artifact.kind) === "markdown" ? FileTextIcon : FileCodeIcon;
            const versionCount = Math.max(artifact.latestVersion ?? 0, artifact.versions.length);
            return (
              <li key={artifact.id} className="shrink-0 md:shrink">
                <button
                  type="button"
                  aria-current={active ? "true" : undefined}
                  onClick={() => setSelectedId(artifact.id)}
                  className={cn(
                    "flex w-56 items-start gap-2 rounded-md px-2.5 py-2 text-left text-sm outline-none transition-colors hover:bg-muted focus-visible:ring-[3px] focus-visible:ring-ring/50 md:w-full",
                    active && "bg-muted",
                  )}
                >
                  <Icon aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-muted-foreground" />
                  <span className="min-w-0">
                    <span className="block truncate font-medium">{artifact.title}</span>
                    <span className="block truncate text-muted-foreground text-xs">
                      {kindLabel(artifact.kind)} · v{versionCount}
                    </span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
      <ArtifactPanel key={selected.id} artifact={selected} usesDemoModel={usesDemoModel} />
    </div>
  );
});
