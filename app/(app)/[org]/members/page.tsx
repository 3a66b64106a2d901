import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { Metadata } from "next";
import { InvitationsTable } from "@/components/invitations/invitations-table";
import { InviteMemberDialog } from "@/components/invitations/invite-member-dialog";
import { LeaveOrganizationButton } from "@/components/members/leave-organization-button";
import { MembersTable } from "@/components/members/members-table";
import { NoAccess } from "@/components/states/no-access";
import { PageHeader } from "@/components/ui/page-header";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { ROLES } from "@/db/schema";
import { canGrant, ROLE_LABELS } from "@/lib/auth/permissions";
import { listInvitations } from "@/lib/invitations/list-invitations";
import { invitationKeys, toInvitationView } from "@/lib/invitations/types";
import { listMembers } from "@/lib/members/list-members";
import { memberKeys, toMemberView } from "@/lib/members/types";
import { orgPageContext } from "@/lib/orgs/page-context";

export const metadata: Metadata = { title: "Members" };

type Props = {
  params: Promise<{ org: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function MembersPage({ params, searchParams }: Props) {
  const { org } = await params;
  const ctx = await orgPageContext(org, "members.read", `/${org}/members`);
  if (!ctx) return <NoAccess orgSlug={org} />;

  const canInvite = ctx.can("members.invite");
  const canManage = ctx.can("members.manage");
  const grantableRoles = ROLES.filter((role) => canGrant(ctx.role, role)).map((role) => ({
    value: role,
    label: ROLE_LABELS[role],
  }));
  const search = await searchParams;

  // The lists render from the server; the client refetches them through the JSON API after changes.
  const queryClient = new QueryClient();
  await queryClient.prefetchQuery({
    queryKey: memberKeys.list(org),
    queryFn: async () => (await listMembers(ctx)).map(toMemberView),
  });
  if (canInvite) {
    await queryClient.prefetchQuery({
      queryKey: invitationKeys.list(org),
      queryFn: async () => (await listInvitations(ctx)).map(toInvitationView),
    });
  }

  const members = (
    <MembersTable
      org={org}
      orgName={ctx.org.name}
      currentUserId={ctx.user.id}
      canManage={canManage}
      grantableRoles={grantableRoles}
    />
  );

  return (
    <>
      <PageHeader
        title="Members"
        description={`People in ${ctx.org.name} and what their role lets them do.`}
        actions={
          <>
            <LeaveOrganizationButton org={org} orgName={ctx.org.name} />
            {canInvite && (
              <InviteMemberDialog
                org={org}
                orgName={ctx.org.name}
                grantableRoles={grantableRoles}
                defaultOpen={search.invite === "1"}
              />
            )}
          </>
        }
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        {canInvite ? (
          <Tabs defaultValue={search.tab === "invitations" ? "invitations" : "members"}>
            <TabsList>
              <TabsTrigger value="members">Members</TabsTrigger>
              <TabsTrigger value="invitations">Invitations</TabsTrigger>
            </TabsList>
            <TabsContent value="members">{members}</TabsContent>
            <TabsContent value="invitations">
              <InvitationsTable org={org} grantableRoles={grantableRoles} />
            </TabsContent>
          </Tabs>
        ) : (
          members
        )}
      </HydrationBoundary>
    </>
  );
}
