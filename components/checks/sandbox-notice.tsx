import { ShieldAlertIcon, ShieldOffIcon } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { NO_SANDBOX_MESSAGE } from "@/lib/checks/kinds";
import type { RunSandboxState } from "@/lib/runs/view-state";

/** Says on the run page when code could not run for want of a sandbox, or ran unsandboxed. */
export function SandboxNotice({ sandbox, className }: { sandbox: RunSandboxState; className?: string }) {
  return (
    <>
      {sandbox.unavailable && (
        <Alert variant="warning" className={className} data-slot="sandbox-unavailable">
          <ShieldOffIcon />
          <AlertTitle>{NO_SANDBOX_MESSAGE}</AlertTitle>
          <AlertDescription>
            This host has neither, so no command ran: the run goes on without execution and its checks are
            skipped.
          </AlertDescription>
        </Alert>
      )}
      {sandbox.unsandboxed && (
        <Alert variant="destructive" className={className} data-slot="sandbox-unsandboxed">
          <ShieldAlertIcon />
          <AlertTitle>Commands ran unsandboxed</AlertTitle>
          <AlertDescription>
            An operator setting runs this run's commands directly on the host, with no isolation. Use it only
            on a single-user install.
          </AlertDescription>
        </Alert>
      )}
    </>
  );
}
