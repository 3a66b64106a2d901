import { DownloadIcon, FolderTreeIcon, HistoryIcon } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { type CodeScope, codeUrls } from "./code-urls";
import { RefPicker } from "./ref-picker";

export type CodeToolbarProps = {
  scope: CodeScope;
  branches: { name: string; isDefault: boolean }[];
  /** The ref in the URL (a branch name or a commit id), and the commit it resolved to. */
  at: { ref: string; sha: string; branch: string | null };
  /** The path being viewed, kept when switching branch or view. */
  path: string;
  view: "files" | "history";
};

/** Branch picker, Files / History switch and the archive download of the commit shown. */
export function CodeToolbar({ scope, branches, at, path, view }: CodeToolbarProps) {
  const urls = codeUrls(scope);
  const to = (r: string) => (view === "files" ? urls.tree(r, path) : urls.commits(r, path));
  const hrefs = Object.fromEntries(branches.map((b) => [b.name, to(b.name)]));
  const refParam = at.branch ?? at.sha;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <RefPicker branches={branches} current={at.branch ?? at.sha} isBranch={!!at.branch} hrefs={hrefs} />
      <span className="font-mono text-muted-foreground text-xs" title={at.sha}>
        {at.sha.slice(0, 7)}
      </span>
      <nav aria-label="Code views" className="inline-flex rounded-lg bg-muted p-[3px]">
        {(
          [
            ["files", "Files", FolderTreeIcon, urls.tree(refParam, path)],
            ["history", "History", HistoryIcon, urls.commits(refParam, path)],
          ] as const
        ).map(([key, label, Icon, href]) => (
          <Link
            key={key}
            href={href}
            aria-current={view === key ? "page" : undefined}
            className={cn(
              "inline-flex items-center gap-1.5 rounded-md px-2.5 py-1 font-medium text-foreground/70 text-sm hover:text-foreground [&_svg]:size-4",
              view === key && "bg-background text-foreground shadow-sm",
            )}
          >
            <Icon aria-hidden="true" />
            {label}
          </Link>
        ))}
      </nav>
      <div className="ml-auto flex items-center gap-1">
        <Button asChild variant="outline" size="sm">
          <a href={urls.archive(at.sha, "zip")} download>
            <DownloadIcon />
            Download ZIP
          </a>
        </Button>
        <Button asChild variant="ghost" size="sm">
          <a href={urls.archive(at.sha, "tar.gz")} download>
            .tar.gz
          </a>
        </Button>
      </div>
    </div>
  );
}
