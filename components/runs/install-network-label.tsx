import { GlobeIcon } from "lucide-react";

export const INSTALL_NETWORK_LABEL = "Install step with network: on";

/**
 * Says on the run page that the install step (e.g. `npm ci`) had network access, by the
 * organization's setting; every other command ran offline. `on` comes from
 * `installStepHadNetwork` (lib/checks/execution-notices.ts).
 */
export function InstallNetworkLabel({ on }: { on: boolean }) {
  if (!on) return null;
  return (
    <span
      data-slot="install-network-label"
      title="The project's install command ran with network access before the offline checks (organization setting); everything else ran without network."
      className="inline-flex w-fit items-center gap-1.5 rounded-md border border-warning/40 bg-warning/10 px-2 py-0.5 font-medium text-warning text-xs"
    >
      <GlobeIcon aria-hidden="true" className="size-3.5" />
      {INSTALL_NETWORK_LABEL}
    </span>
  );
}
