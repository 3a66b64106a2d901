import { ServerOffIcon } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { NO_SANDBOX_MESSAGE } from "@/lib/checks/kinds";

export const NO_SANDBOX_RUN_NOTICE = `${NO_SANDBOX_MESSAGE} — this run went on without running code; its checks are marked skipped.`;

/**
 * Shown on a run that went on without executing code (no bubblewrap or Docker on the host).
 * `show` comes from `ranWithoutSandbox` (lib/checks/execution-notices.ts).
 */
export function NoSandboxNotice({ show }: { show: boolean }) {
  if (!show) return null;
  return (
    <Alert variant="warning" data-slot="no-sandbox-notice" className="mb-4">
      <ServerOffIcon aria-hidden="true" />
      <AlertTitle>No code was run</AlertTitle>
      <AlertDescription>
        <p>{NO_SANDBOX_RUN_NOTICE}</p>
      </AlertDescription>
    </Alert>
  );
}
