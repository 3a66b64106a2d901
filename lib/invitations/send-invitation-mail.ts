import { appUrl } from "@/lib/app-origin";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { sendMail } from "@/lib/mail";
import type { OrgContext } from "@/lib/orgs/context";
import { invitationEmailProof } from "./email-proof";
import { type InvitationRow, type PublicInvitation, toPublic } from "./invitation";

/**
 * Sends the invitation link after the transaction commits. A mail failure does not undo the
 * invitation: the inviter sees it and can resend or copy the link.
 */
export async function deliverInvitation(
  ctx: OrgContext,
  row: InvitationRow,
  token: string,
): Promise<{ invitation: PublicInvitation; inviteUrl: string; emailSent: boolean }> {
  const args = { email: row.email, role: row.role, orgName: ctx.org.name, expiresAt: row.expiresAt };
  const invitation = toPublic(row);
  const inviteUrl = await appUrl(`/invite/${token}`);
  // Only the email gets the proof: an account made from this link starts with a verified address.
  const mailedUrl = `${inviteUrl}?proof=${invitationEmailProof(token, row.email)}`;
  const who = ctx.user.name ? `${ctx.user.name} (${ctx.user.email})` : ctx.user.email;
  try {
    await sendMail({
      to: args.email,
      subject: `You're invited to join ${args.orgName} on DafnckMachine`,
      text: [
        `${who} invited you to join ${args.orgName} on DafnckMachine as ${ROLE_LABELS[args.role]}.`,
        "",
        `Accept the invitation: ${mailedUrl}`,
        "",
        `The link works once and expires on ${args.expiresAt.toUTCString()}.`,
        "If you did not expect this invitation, you can ignore this email.",
      ].join("\n"),
    });
    return { invitation, inviteUrl, emailSent: true };
  } catch (error) {
    console.error(`[invitations] could not send the invitation email to ${args.email}`, error);
    return { invitation, inviteUrl, emailSent: false };
  }
}
