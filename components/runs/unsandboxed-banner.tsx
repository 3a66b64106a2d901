import { ShieldOffIcon } from "lucide-react";

export const UNSANDBOXED_MESSAGE =
  "Unsandboxed: agents' commands run directly on this server (DANGEROUSLY_RUN_AGENT_CODE_ON_HOST is set). Use only for a single-user install.";

/**
 * The loud warning every run page (and run list) shows while the operator runs agents' code on
 * the host. Not dismissible: it stays as long as the setting does. `show` comes from
 * `sandboxMode().unsafe` (lib/sandbox/mode.ts), read on the server.
 */
export function UnsandboxedBanner({ show }: { show: boolean }) {
  if (!show) return null;
  return (
    <div
      role="alert"
      data-slot="unsandboxed-banner"
      className="mb-4 flex items-start gap-3 rounded-md border-2 border-destructive bg-destructive px-4 py-3 font-semibold text-destructive-foreground text-sm"
    >
      <ShieldOffIcon aria-hidden="true" className="mt-0.5 size-5 shrink-0" />
      <p>{UNSANDBOXED_MESSAGE}</p>
    </div>
  );
}
