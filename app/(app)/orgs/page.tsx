import { PlusIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { UserMenu } from "@/components/app-shell/user-menu";
import { Logo } from "@/components/brand/logo";
import { CreateOrganizationForm } from "@/components/org/create-organization-form";
import { OrgPicker } from "@/components/org/org-picker";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/session";
import { listOrganizations } from "@/lib/orgs/list-organizations";

export const metadata: Metadata = { title: "Organizations" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Where signed-in users land: pick an organization or create one. */
export default async function OrgsPage({ searchParams }: Props) {
  await connection();
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in?callbackUrl=/orgs");
  const orgs = await listOrganizations(user.id);
  const wantsNew = (await searchParams).new === "1";
  const only = orgs.length === 1 ? orgs[0] : undefined;
  if (only && !wantsNew) redirect(`/${only.slug}`);
  const showForm = wantsNew || orgs.length === 0;

  return (
    <div className="flex min-h-dvh flex-col bg-muted/40">
      <header className="flex h-14 items-center justify-between border-b bg-background px-4 sm:px-6">
        <Link
          href="/"
          aria-label="DafnckMachine home"
          className="rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          <Logo />
        </Link>
        <UserMenu user={{ name: user.name, email: user.email }} />
      </header>
      <main className="mx-auto grid w-full max-w-lg gap-8 px-4 py-12">
        {orgs.length > 0 && (
          <section className="grid gap-4" aria-labelledby="orgs-heading">
            <div className="flex items-end justify-between gap-4">
              <div>
                <h1 id="orgs-heading" className="font-semibold text-2xl tracking-tight">
                  Your organizations
                </h1>
                <p className="text-muted-foreground text-sm">Choose where to work.</p>
              </div>
              {!showForm && (
                <Button asChild variant="outline" size="sm">
                  <Link href="/orgs?new=1">
                    <PlusIcon />
                    New organization
                  </Link>
                </Button>
              )}
            </div>
            <OrgPicker orgs={orgs} />
          </section>
        )}
        {showForm && (
          <Card>
            <CardHeader>
              <CardTitle>
                {orgs.length === 0 ? <h1>Create your organization</h1> : <h2>Create an organization</h2>}
              </CardTitle>
              <CardDescription>
                {orgs.length === 0
                  ? "An organization holds your projects and your team. You will be its owner and can invite others."
                  : "You will be its owner and can invite others."}
              </CardDescription>
            </CardHeader>
            <CardContent>
              <CreateOrganizationForm />
            </CardContent>
          </Card>
        )}
        {orgs.length === 0 && (
          <p className="text-center text-muted-foreground text-sm">
            Joining a team instead? Open the invitation link from your email while signed in as {user.email}.
          </p>
        )}
      </main>
    </div>
  );
}
