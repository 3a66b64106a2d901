"use client";

import { useMutation } from "@tanstack/react-query";
import { RefreshCwIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { verifySsoDomainAction } from "@/app/(app)/[org]/settings/sso/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import type { SsoDomainView } from "@/lib/sso/get-connection";
import { formatDateTime } from "@/lib/utils";
import { CopyButton } from "./copy-button";

const STATUS: Record<
  SsoDomainView["status"],
  { label: string; variant: "success" | "warning" | "destructive" | "secondary" }
> = {
  verified: { label: "Verified", variant: "success" },
  pending: { label: "Not verified yet", variant: "secondary" },
  failed: { label: "Verification failed", variant: "destructive" },
  verified_elsewhere: { label: "Verified by another organization", variant: "destructive" },
};

function RecordField({ label, value }: { label: string; value: string }) {
  return (
    <div className="grid gap-1">
      <p className="text-muted-foreground text-xs">{label}</p>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <code className="min-w-0 flex-1 break-all rounded-md border bg-muted px-3 py-2 font-mono text-xs">
          {value}
        </code>
        <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
      </div>
    </div>
  );
}

function VerifyNow({ orgSlug, domain }: { orgSlug: string; domain: string }) {
  const router = useRouter();
  const verify = useMutation({
    mutationFn: () => verifySsoDomainAction(orgSlug, { domain }),
    onSuccess: (result) => {
      if (!result.ok) toast.error(result.error.message);
      else if (result.data.status === "verified") toast.success(`${domain} is verified.`);
      else toast.error(result.data.lastError ?? `${domain} could not be verified.`);
      router.refresh();
    },
    onError: () => toast.error("Could not reach the server. Check your connection and try again."),
  });
  return (
    <Button
      type="button"
      variant="outline"
      size="sm"
      disabled={verify.isPending}
      onClick={() => verify.mutate()}
      aria-label={`Verify ${domain} now`}
    >
      {verify.isPending ? <Spinner /> : <RefreshCwIcon aria-hidden="true" />}
      Verify now
    </Button>
  );
}

/** Each claimed domain with the TXT record that proves ownership, its status and last check. */
export function SsoDomains({ orgSlug, domains }: { orgSlug: string; domains: SsoDomainView[] }) {
  return (
    <ul className="grid gap-4">
      {domains.map((d) => {
        const status = STATUS[d.status];
        return (
          <li
            key={d.domain}
            className="grid gap-3 rounded-lg border p-4"
            data-testid={`sso-domain-${d.domain}`}
          >
            <div className="flex flex-wrap items-center justify-between gap-2">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium font-mono text-sm">{d.domain}</span>
                <Badge variant={status.variant}>{status.label}</Badge>
              </div>
              <VerifyNow orgSlug={orgSlug} domain={d.domain} />
            </div>
            {d.status !== "verified" && (
              <p className="text-muted-foreground text-sm">
                Add this TXT record at your DNS provider, then press Verify now. Until the domain is verified,
                nobody is routed to your identity provider, SSO is not required and no one joins through it.
              </p>
            )}
            <RecordField label="Record name" value={d.recordName} />
            <RecordField label="Record value" value={d.recordValue} />
            <dl className="grid gap-1 text-sm sm:grid-cols-[8rem_1fr]">
              <dt className="text-muted-foreground">Last check</dt>
              <dd>
                {d.lastCheckedAt ? (
                  <time dateTime={d.lastCheckedAt}>{formatDateTime(d.lastCheckedAt)}</time>
                ) : (
                  "Never"
                )}
              </dd>
              {d.verifiedAt && (
                <>
                  <dt className="text-muted-foreground">Verified on</dt>
                  <dd>
                    <time dateTime={d.verifiedAt}>{formatDateTime(d.verifiedAt)}</time>
                  </dd>
                </>
              )}
              {d.lastError && (
                <>
                  <dt className="text-muted-foreground">Last error</dt>
                  <dd className="text-destructive" role="status">
                    {d.lastError}
                    {d.status === "verified" &&
                      ` (${d.failedChecks} of ${d.failedChecksAllowed} failed checks before the domain is unverified)`}
                  </dd>
                </>
              )}
            </dl>
          </li>
        );
      })}
    </ul>
  );
}
