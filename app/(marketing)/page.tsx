import {
  ArrowRightIcon,
  BotIcon,
  CheckIcon,
  KeyRoundIcon,
  ListChecksIcon,
  LoaderCircleIcon,
  type LucideIcon,
  RadioIcon,
  ShieldCheckIcon,
  UserCheckIcon,
} from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

export const metadata: Metadata = {
  title: { absolute: "DafnckMachine — turn a software goal into delivered work" },
};

const FEATURES: { icon: LucideIcon; title: string; description: string }[] = [
  {
    icon: ListChecksIcon,
    title: "Plans, not prompts",
    description:
      "Describe a goal. The swarm breaks it into phases and tasks with clear owners and acceptance criteria.",
  },
  {
    icon: BotIcon,
    title: "Specialist agents in parallel",
    description:
      "Architect, backend, frontend, test and docs agents pick up independent tasks at the same time.",
  },
  {
    icon: ShieldCheckIcon,
    title: "Reviewer gates",
    description:
      "Every result passes a reviewer agent before it moves on, so problems are caught at the task, not at the end.",
  },
  {
    icon: UserCheckIcon,
    title: "Human approvals",
    description:
      "Decide where people sign off — the plan, a risky change, the release. Nothing ships past a gate you set.",
  },
  {
    icon: RadioIcon,
    title: "Live for the whole team",
    description:
      "Progress, agent output and decisions stream to everyone in the organization as they happen.",
  },
  {
    icon: KeyRoundIcon,
    title: "SSO, roles and an audit log",
    description:
      "Sign in with your identity provider, give each member the right role, and see who did what, when.",
  },
];

const STEPS = [
  { title: "Describe the goal", description: "What you want built, in plain language, inside a project." },
  { title: "Approve the plan", description: "Review the phases and tasks the swarm proposes, and adjust." },
  { title: "Watch it work", description: "Agents run in parallel; reviewers check each result." },
  { title: "Sign off and ship", description: "Approve at the gates you chose and take the delivered work." },
];

type TaskStatus = "done" | "running" | "waiting";

const EXAMPLE_PHASES: { name: string; tasks: { title: string; agent: string; status: TaskStatus }[] }[] = [
  {
    name: "Plan",
    tasks: [{ title: "Break the goal into tasks", agent: "Planner", status: "done" }],
  },
  {
    name: "Build",
    tasks: [
      { title: "OIDC connection settings", agent: "Backend", status: "done" },
      { title: "SSO sign-in screen", agent: "Frontend", status: "running" },
      { title: "End-to-end sign-in test", agent: "QA", status: "running" },
    ],
  },
  {
    name: "Review",
    tasks: [{ title: "Security review", agent: "Reviewer", status: "waiting" }],
  },
];

function StatusIcon({ status }: { status: TaskStatus }) {
  if (status === "done") return <CheckIcon className="size-3.5 text-success" aria-label="Done" />;
  if (status === "running")
    return <LoaderCircleIcon className="size-3.5 animate-spin text-primary" aria-label="In progress" />;
  return (
    <span
      role="img"
      aria-label="Waiting"
      className="block size-3.5 rounded-full border border-muted-foreground border-dashed"
    />
  );
}

function ExampleRun() {
  return (
    <figure className="mx-auto w-full max-w-lg rounded-xl border bg-card p-4 text-left shadow-lg shadow-primary/5 sm:p-5">
      <figcaption className="mb-4 flex items-center justify-between gap-3">
        <div className="min-w-0">
          <p className="text-muted-foreground text-xs">Run · Customer portal</p>
          <p className="truncate font-medium text-sm">Add single sign-on for enterprise customers</p>
        </div>
        <Badge variant="warning">Needs approval</Badge>
      </figcaption>
      <ol className="space-y-4">
        {EXAMPLE_PHASES.map((phase, index) => (
          <li key={phase.name}>
            <p className="mb-2 font-medium text-muted-foreground text-xs uppercase tracking-wide">
              Phase {index + 1} · {phase.name}
            </p>
            <ul className="space-y-1.5">
              {phase.tasks.map((task) => (
                <li
                  key={task.title}
                  className={cn(
                    "flex items-center gap-3 rounded-md border px-3 py-2 text-sm",
                    task.status === "waiting" && "border-dashed text-muted-foreground",
                  )}
                >
                  <StatusIcon status={task.status} />
                  <span className="min-w-0 flex-1 truncate">{task.title}</span>
                  <span className="text-muted-foreground text-xs">{task.agent}</span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </figure>
  );
}

export default function LandingPage() {
  return (
    <>
      <section className="relative overflow-hidden">
        <div
          aria-hidden="true"
          className="pointer-events-none absolute inset-x-0 top-0 -z-10 h-[480px] bg-[radial-gradient(ellipse_at_top,var(--color-primary)_0%,transparent_65%)] opacity-[0.08] dark:opacity-[0.15]"
        />
        <div className="mx-auto grid max-w-6xl items-center gap-12 px-4 py-16 sm:px-6 md:py-24 lg:grid-cols-2">
          <div className="space-y-6 text-center lg:text-left">
            <Badge variant="outline" className="rounded-full px-3 py-1">
              An agent swarm for software teams
            </Badge>
            <h1 className="text-balance font-semibold text-4xl tracking-tight sm:text-5xl">
              Turn a software goal into delivered work.
            </h1>
            <p className="mx-auto max-w-xl text-pretty text-lg text-muted-foreground lg:mx-0">
              DafnckMachine plans your goal into phases and tasks, puts specialist agents to work on them in
              parallel, and routes every result through reviewer gates and your approvals — while the whole
              team watches it happen live.
            </p>
            <div className="flex flex-col justify-center gap-3 sm:flex-row lg:justify-start">
              <Button asChild size="lg">
                <Link href="/sign-up">
                  Get started
                  <ArrowRightIcon />
                </Link>
              </Button>
              <Button asChild size="lg" variant="outline">
                <Link href="/sign-in">Sign in</Link>
              </Button>
            </div>
          </div>
          <ExampleRun />
        </div>
      </section>

      <section aria-labelledby="how-heading" className="border-t bg-muted/30">
        <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
          <h2 id="how-heading" className="font-semibold text-2xl tracking-tight">
            How it works
          </h2>
          <ol className="mt-8 grid gap-6 sm:grid-cols-2 lg:grid-cols-4">
            {STEPS.map((step, index) => (
              <li key={step.title} className="space-y-2">
                <span className="flex size-7 items-center justify-center rounded-full bg-primary font-semibold text-primary-foreground text-xs">
                  {index + 1}
                </span>
                <h3 className="font-medium">{step.title}</h3>
                <p className="text-muted-foreground text-sm">{step.description}</p>
              </li>
            ))}
          </ol>
        </div>
      </section>

      <section aria-labelledby="features-heading" className="border-t">
        <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
          <h2 id="features-heading" className="font-semibold text-2xl tracking-tight">
            Built for teams that ship
          </h2>
          <p className="mt-2 max-w-2xl text-muted-foreground">
            Autonomy where it helps, control where it matters, and one place where everyone sees the work.
          </p>
          <div className="mt-10 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {FEATURES.map(({ icon: Icon, title, description }) => (
              <div key={title} className="rounded-xl border bg-card p-5">
                <div className="mb-4 flex size-9 items-center justify-center rounded-lg bg-primary/10 text-primary">
                  <Icon className="size-4.5" aria-hidden="true" />
                </div>
                <h3 className="font-medium">{title}</h3>
                <p className="mt-1.5 text-muted-foreground text-sm">{description}</p>
              </div>
            ))}
          </div>
        </div>
      </section>

      <section className="border-t">
        <div className="mx-auto flex max-w-6xl flex-col items-center gap-6 px-4 py-16 text-center sm:px-6">
          <h2 className="text-balance font-semibold text-2xl tracking-tight sm:text-3xl">
            Put a swarm to work on your next goal.
          </h2>
          <p className="max-w-xl text-muted-foreground">
            Create an organization, invite your team, and start your first project in minutes.
          </p>
          <Button asChild size="lg">
            <Link href="/sign-up">
              Get started
              <ArrowRightIcon />
            </Link>
          </Button>
        </div>
      </section>
    </>
  );
}
