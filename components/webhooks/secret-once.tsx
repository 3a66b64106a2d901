"use client";

import { CopyButton } from "@/components/sso/copy-button";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

/** A signing secret, shown once after it was generated. */
export function SecretOnce({ secret }: { secret: string }) {
  return (
    <Alert>
      <AlertTitle>Copy the signing secret now</AlertTitle>
      <AlertDescription className="grid gap-2">
        <p>
          It is shown only this once. Verify each delivery with it (Standard Webhooks: the{" "}
          <code>webhook-id</code>, <code>webhook-timestamp</code> and <code>webhook-signature</code> headers).
        </p>
        <div className="flex flex-wrap items-center gap-2">
          <code
            className="break-all rounded bg-muted px-2 py-1 font-mono text-xs"
            data-testid="webhook-secret"
          >
            {secret}
          </code>
          <CopyButton value={secret} label="Copy secret" />
        </div>
      </AlertDescription>
    </Alert>
  );
}
