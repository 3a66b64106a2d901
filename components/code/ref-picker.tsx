"use client";

import { GitBranchIcon, GitCommitIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";

export type RefPickerProps = {
  branches: { name: string; isDefault: boolean }[];
  /** The ref shown: a branch name, or a commit id when browsing a commit. */
  current: string;
  isBranch: boolean;
  /** URL for a branch: `hrefFor(name)`, built by the page so this stays a plain picker. */
  hrefs: Record<string, string>;
};

/** Switches the Code view between branches; a commit being browsed shows as its short id. */
export function RefPicker({ branches, current, isBranch, hrefs }: RefPickerProps) {
  const router = useRouter();
  const value = isBranch ? current : `commit:${current}`;
  return (
    <Select value={value} onValueChange={(name) => hrefs[name] && router.push(hrefs[name])}>
      <SelectTrigger className="w-full max-w-64" aria-label="Branch or commit">
        {isBranch ? <GitBranchIcon /> : <GitCommitIcon />}
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {!isBranch && (
          <SelectItem value={`commit:${current}`}>
            <span className="font-mono">{current.slice(0, 10)}</span>
          </SelectItem>
        )}
        {branches.map((b) => (
          <SelectItem key={b.name} value={b.name}>
            <span className="truncate">{b.name}</span>
            {b.isDefault && <span className="text-muted-foreground text-xs">default</span>}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
