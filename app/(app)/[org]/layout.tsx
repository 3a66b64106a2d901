import { notFound, redirect } from "next/navigation";
import { connection } from "next/server";
import type * as React from "react";
import { AppShell } from "@/components/app-shell/app-shell";
import { VerifyEmailBanner } from "@/components/auth/verify-email-banner";
import { isEmailVerified } from "@/lib/auth/email-verification";
import { permissionsOf } from "@/lib/auth/permissions";
import { getCurrentUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { type OrgContext, resolveOrgContext } from "@/lib/orgs/context";
import { listOrganizations } from "@/lib/orgs/list-organizations";
import { currentRequestMeta } from "@/lib/request-meta";

type Props = { children: React.ReactNode; params: Promise<{ org: string }> };

/** The frame of every `/[org]/...` page: members only (others get the 404 page), with the org switcher. */
export default async function OrgLayout({ children, params }: Props) {
  await connection();
  const { org } = await params;
  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/${org}`)}`);
  let ctx: OrgContext;
  try {
    ctx = await resolveOrgContext(user, org, "org.read", await currentRequestMeta());
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
  const [orgs, verified] = await Promise.all([listOrganizations(user.id), isEmailVerified(user.id)]);

  return (
    <AppShell
      org={{ name: ctx.org.name, slug: ctx.org.slug }}
      orgs={orgs.map(({ name, slug, role }) => ({ name, slug, role }))}
      user={{ name: user.name, email: user.email }}
      permissions={permissionsOf(ctx.role)}
    >
      {!verified && <VerifyEmailBanner email={user.email} />}
      {children}
    </AppShell>
  );
}
