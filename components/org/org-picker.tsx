import { ChevronRightIcon } from "lucide-react";
import Link from "next/link";
import { RoleBadge } from "@/components/members/role-badge";
import { initials } from "@/lib/utils";

type OrgPickerProps = { orgs: { name: string; slug: string; role: string }[] };

/** The signed-in user's organizations, each a link to its dashboard. */
export function OrgPicker({ orgs }: OrgPickerProps) {
  return (
    <ul className="divide-y rounded-xl border bg-card">
      {orgs.map((org) => (
        <li key={org.slug}>
          <Link
            href={`/${org.slug}`}
            className="flex items-center gap-3 px-4 py-3 outline-none transition-colors first:rounded-t-xl last:rounded-b-xl hover:bg-accent/50 focus-visible:ring-[3px] focus-visible:ring-ring/50"
          >
            <span
              aria-hidden="true"
              className="flex size-9 shrink-0 items-center justify-center rounded-md bg-primary font-semibold text-primary-foreground text-xs"
            >
              {initials(org.name)}
            </span>
            <span className="min-w-0 flex-1">
              <span className="block truncate font-medium">{org.name}</span>
              <span className="block truncate font-mono text-muted-foreground text-xs">/{org.slug}</span>
            </span>
            <RoleBadge role={org.role} />
            <ChevronRightIcon className="size-4 text-muted-foreground" aria-hidden="true" />
          </Link>
        </li>
      ))}
    </ul>
  );
}
