import type * as React from "react";
import { cn } from "@/lib/utils";

type EmptyStateProps = {
  /** An icon element, e.g. `<FolderKanban />`. */
  icon?: React.ReactNode;
  title: React.ReactNode;
  description?: React.ReactNode;
  action?: React.ReactNode;
  className?: string;
};

export function EmptyState({ icon, title, description, action, className }: EmptyStateProps) {
  return (
    <div
      data-slot="empty-state"
      className={cn(
        "flex flex-col items-center justify-center gap-3 rounded-xl border border-dashed px-6 py-12 text-center",
        className,
      )}
    >
      {icon && (
        <div className="flex size-11 items-center justify-center rounded-lg border bg-muted text-muted-foreground [&_svg:not([class*='size-'])]:size-5">
          {icon}
        </div>
      )}
      <div className="max-w-sm space-y-1">
        <h2 className="font-semibold">{title}</h2>
        {description && <p className="text-muted-foreground text-sm">{description}</p>}
      </div>
      {action && <div className="mt-2">{action}</div>}
    </div>
  );
}
