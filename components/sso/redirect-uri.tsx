import { CopyButton } from "./copy-button";

/** The redirect (callback) URI the admin registers for this connection at their identity provider. */
export function RedirectUri({ uri, saved }: { uri: string; saved: boolean }) {
  return (
    <div className="grid gap-2">
      <p className="font-medium text-sm">Redirect URI</p>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <code className="min-w-0 flex-1 break-all rounded-md border bg-muted px-3 py-2 font-mono text-xs">
          {uri}
        </code>
        <CopyButton value={uri} />
      </div>
      <p className="text-muted-foreground text-sm">
        Register it in your identity provider's application (also called callback or sign-in redirect URL).
        {saved ? "" : " It stays the same once you save the connection."}
      </p>
    </div>
  );
}
