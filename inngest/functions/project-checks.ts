import type { Inngest } from "inngest";
import { checkDefaultBranch } from "@/lib/checks/check-default-branch";
import { resolveSandbox } from "@/lib/sandbox/resolve-sandbox";
import type { SandboxAvailability } from "@/lib/sandbox/types";
import { inngest } from "../client";
import { projectChecksRequested } from "../events";

/**
 * The checks of a project's default branch, on request. One at a time per project; the step is
 * keyed by the request, so a retry reuses the checks it already stored.
 */
export function createProjectChecksFunction(
  client: Inngest.Any,
  sandbox: () => Promise<SandboxAvailability> = () => resolveSandbox(),
) {
  return client.createFunction(
    {
      id: "project-checks",
      name: "Project checks",
      retries: 2,
      concurrency: [{ key: "event.data.projectId", limit: 1 }],
      triggers: [projectChecksRequested],
    },
    async ({ event, step }) => {
      const { orgId, projectId, requestId } = event.data;
      return step.run("check", () =>
        checkDefaultBranch({ orgId, projectId }, `project-checks:${requestId}`, sandbox),
      );
    },
  );
}

export const projectChecks = createProjectChecksFunction(inngest);
