import { FileIcon, FolderIcon, LinkIcon, PackageIcon } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import type { TreeEntry } from "@/lib/repos/read/read-tree";
import { type CodeScope, codeUrls } from "./code-urls";
import { formatBytes } from "./format";

const ICONS = { tree: FolderIcon, blob: FileIcon, symlink: LinkIcon, submodule: PackageIcon } as const;

/** A folder's entries, folders first (the order the read verb returns). */
export function FileTree({
  scope,
  refParam,
  path,
  entries,
}: {
  scope: CodeScope;
  refParam: string;
  path: string;
  entries: TreeEntry[];
}) {
  const urls = codeUrls(scope);
  if (entries.length === 0) return <EmptyState icon={<FolderIcon />} title="This folder is empty" />;
  const parent = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  return (
    <ul className="divide-y rounded-lg border text-sm">
      {path && (
        <li>
          <Link
            className="flex items-center gap-2 px-3 py-2 hover:bg-muted/50"
            href={urls.tree(refParam, parent)}
          >
            <FolderIcon className="size-4 text-muted-foreground" aria-hidden="true" />
            <span className="font-mono">..</span>
            <span className="sr-only">Parent folder</span>
          </Link>
        </li>
      )}
      {entries.map((entry) => {
        const Icon = ICONS[entry.type];
        const href =
          entry.type === "tree"
            ? urls.tree(refParam, entry.path)
            : entry.type === "submodule"
              ? null
              : urls.blob(refParam, entry.path);
        const label = (
          <>
            <Icon
              className={entry.type === "tree" ? "size-4 text-primary" : "size-4 text-muted-foreground"}
              aria-hidden="true"
            />
            <span className="min-w-0 flex-1 truncate font-mono">{entry.name}</span>
            <span className="shrink-0 text-muted-foreground text-xs tabular-nums">
              {entry.type === "submodule" ? "submodule" : formatBytes(entry.size)}
            </span>
          </>
        );
        return (
          <li key={entry.path}>
            {href ? (
              <Link className="flex items-center gap-2 px-3 py-2 hover:bg-muted/50" href={href}>
                {label}
              </Link>
            ) : (
              <div className="flex items-center gap-2 px-3 py-2">{label}</div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
