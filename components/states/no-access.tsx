import { LockIcon } from "lucide-react";
import Link from "next/link";
import type * as React from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

type NoAccessProps = {
  /** When given, offers a way back to this organization's dashboard. */
  orgSlug?: string;
  description?: React.ReactNode;
};

/** Shown in place of a page when the member's role lacks the permission it needs. */
export function NoAccess({ orgSlug, description }: NoAccessProps) {
  return (
    <EmptyState
      icon={<LockIcon />}
      title="You don't have access to this"
      description={
        description ??
        "Your role in this organization doesn't include this page. Ask an owner or admin for access."
      }
      action={
        orgSlug ? (
          <Button asChild variant="outline">
            <Link href={`/${orgSlug}`}>Back to dashboard</Link>
          </Button>
        ) : undefined
      }
    />
  );
}
