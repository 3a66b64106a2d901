import { ArrowLeftIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { NoSandboxNotice } from "@/components/checks/no-sandbox-notice";
import { RunBranchBar } from "@/components/repos/run-branch-bar";
import { InstallNetworkLabel } from "@/components/runs/install-network-label";
import { RunView } from "@/components/runs/run-view";
import { NoAccess } from "@/components/states/no-access";
import { Button } from "@/components/ui/button";
import { installWithNetwork } from "@/lib/ai/org-settings";
import { installStepHadNetwork, ranWithoutSandbox } from "@/lib/checks/execution-notices";
import { readRunExecutionFacts } from "@/lib/checks/read-run-execution";
import { orgPageContext } from "@/lib/orgs/page-context";
import { orNotFound } from "@/lib/projects/or-not-found";
import { getRepositorySettings } from "@/lib/repos/settings/get-repository-settings";
import { getRunPageData } from "@/lib/runs/queries";
import { resolveSandbox } from "@/lib/sandbox/resolve-sandbox";
import {
  addRunTaskAction,
  approveRunPlanAction,
  cancelRunAction,
  decideApprovalAction,
  forkRunAction,
  removeRunTaskAction,
  reorderRunTasksAction,
  resumeRunAction,
  retryTaskAction,
  updateRunTaskAction,
} from "../actions";

export const metadata: Metadata = { title: "Run" };

type Props = { params: Promise<{ org: string; project: string; run: string }> };

export default async function RunPage({ params }: Props) {
  const { org, project, run: runId } = await params;
  const ctx = await orgPageContext(org, "runs.read", `/${org}/projects/${project}/runs/${runId}`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const data = await orNotFound(getRunPageData(ctx, runId));
  // A run lives under its own project's URL only.
  if (data.project.slug !== project) notFound();
  const canStart = ctx.can("runs.start");
  const canApprove = ctx.can("runs.approve");
  const repository = await getRepositorySettings(ctx, project).catch(() => null);
  const [executionFacts, orgInstallNetwork, sandbox] = await Promise.all([
    readRunExecutionFacts(ctx, data.run.id),
    installWithNetwork(ctx.org.id),
    resolveSandbox(),
  ]);
  // How this run's code was executed: the host's sandbox (probed once per process) and what the
  // run recorded.
  const withoutSandbox = ranWithoutSandbox(data.events, {
    checks: executionFacts,
    hostCanExecute: sandbox.available,
  });
  const installNetwork = installStepHadNetwork({
    events: data.events,
    checks: executionFacts,
    orgSetting: orgInstallNetwork,
    runStatus: data.run.status,
  });

  return (
    <>
      <Button asChild variant="ghost" size="sm" className="-ml-2 mb-2">
        <Link href={`/${org}/projects/${project}/runs`}>
          <ArrowLeftIcon />
          {data.project.name} runs
        </Link>
      </Button>
      <RunBranchBar
        org={org}
        project={project}
        run={data.run}
        remote={repository?.remote?.url ?? null}
        canPush={canStart}
      />
      <NoSandboxNotice show={withoutSandbox} />
      {installNetwork && (
        <div className="mb-4">
          <InstallNetworkLabel on />
        </div>
      )}
      <RunView
        run={{
          id: data.run.id,
          goal: data.run.goal,
          templateSlug: data.run.templateSlug,
          status: data.run.status,
          startedAt: data.run.startedAt ?? data.run.createdAt,
          finishedAt: data.run.finishedAt,
          tokenBudget: data.run.tokenBudget,
          usesDemoModel: data.run.usesDemoModel,
          reviewPlan: data.run.reviewPlan,
          planApprovedAt: data.run.planApprovedAt,
        }}
        initialEvents={data.events}
        streamUrl={`/api/orgs/${org}/runs/${data.run.id}/stream`}
        artifacts={data.artifacts}
        permissions={{
          canCancel: canStart,
          canApprove,
          canRetry: canStart,
          canResume: canStart,
          canEditPlan: canStart,
        }}
        actions={{
          cancel: canStart ? cancelRunAction.bind(null, org) : undefined,
          retryTask: canStart ? retryTaskAction.bind(null, org) : undefined,
          decideApproval: canApprove ? decideApprovalAction.bind(null, org) : undefined,
          resume: canStart ? resumeRunAction.bind(null, org) : undefined,
          fork: canStart && data.run.branch ? forkRunAction.bind(null, org) : undefined,
          addTask: canStart ? addRunTaskAction.bind(null, org) : undefined,
          updateTask: canStart ? updateRunTaskAction.bind(null, org) : undefined,
          removeTask: canStart ? removeRunTaskAction.bind(null, org) : undefined,
          reorderTasks: canStart ? reorderRunTasksAction.bind(null, org) : undefined,
          approvePlan: canStart ? approveRunPlanAction.bind(null, org) : undefined,
        }}
        agentNames={data.agentNames}
        orgSlug={org}
        projectSlug={project}
      />
    </>
  );
}
