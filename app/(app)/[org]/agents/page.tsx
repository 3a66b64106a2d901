import { PlusIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { NoAccess } from "@/components/states/no-access";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { listAgents } from "@/lib/agents/org-agents";
import { AGENT_CATEGORIES, AGENT_CATEGORY_LABELS } from "@/lib/agents/schema";
import { orgPageContext } from "@/lib/orgs/page-context";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<{ q?: string; category?: string }>;
}) {
  const { org } = await params;
  const { q, category } = await searchParams;
  const ctx = await orgPageContext(org, "runs.read", `/${org}/agents`);
  if (!ctx) return <NoAccess orgSlug={org} />;
  const agents = await listAgents(ctx, { q, category });

  return (
    <>
      <PageHeader
        title="Agents"
        description="The specialists your runs delegate to: built-in and your organization's own."
        actions={
          ctx.can("agents.manage") && (
            <Button asChild>
              <Link href={`/${org}/agents/new`}>
                <PlusIcon />
                New agent
              </Link>
            </Button>
          )
        }
      />
      <search className="mb-6 block max-w-xl">
        <form className="flex gap-2">
          <Input name="q" defaultValue={q} placeholder="Search agents…" aria-label="Search agents" />
          {category && <input type="hidden" name="category" value={category} />}
        </form>
      </search>
      <nav aria-label="Categories" className="mb-6 flex flex-wrap gap-2 text-sm">
        <Link
          href={`/${org}/agents`}
          className={!category ? "font-medium underline" : "text-muted-foreground"}
        >
          All
        </Link>
        {AGENT_CATEGORIES.map((c) => (
          <Link
            key={c}
            href={`/${org}/agents?category=${c}`}
            className={category === c ? "font-medium underline" : "text-muted-foreground"}
          >
            {AGENT_CATEGORY_LABELS[c]}
          </Link>
        ))}
      </nav>
      {agents.length === 0 && <p className="text-muted-foreground text-sm">No agent matches.</p>}
      {AGENT_CATEGORIES.map((c) => {
        const inCategory = agents.filter((a) => a.category === c);
        if (!inCategory.length) return null;
        return (
          <section key={c} className="mb-8">
            <h2 className="mb-3 font-semibold text-sm">{AGENT_CATEGORY_LABELS[c]}</h2>
            <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {inCategory.map((a) => (
                <li key={a.slug} className="rounded-lg border p-4">
                  <Link href={`/${org}/agents/${a.slug}`} className="font-medium hover:underline">
                    {a.name}
                  </Link>
                  <div className="mt-1 flex gap-2">
                    <Badge variant="secondary">{a.modelTier}</Badge>
                    {a.source === "organization" && <Badge variant="outline">v{a.version} · yours</Badge>}
                  </div>
                  <p className="mt-2 line-clamp-3 text-muted-foreground text-sm">{a.whenToUse}</p>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
