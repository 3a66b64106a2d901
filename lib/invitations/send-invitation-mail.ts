import type { Role } from "@/db/schema";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { appUrl, sendMail } from "@/lib/mail";

/**
 * Sends the invitation link after the transaction commits. A mail failure does not undo the
 * invitation: the inviter sees it and can resend or copy the link.
 */
export async function sendInvitationMail(args: {
  email: string;
  role: Role;
  token: string;
  orgName: string;
  inviter: { name: string | null; email: string };
  expiresAt: Date;
}): Promise<{ inviteUrl: string; emailSent: boolean }> {
  const inviteUrl = appUrl(`/invite/${args.token}`);
  const who = args.inviter.name ? `${args.inviter.name} (${args.inviter.email})` : args.inviter.email;
  try {
    await sendMail({
      to: args.email,
      subject: `You're invited to join ${args.orgName} on DafnckMachine`,
      text: [
        `${who} invited you to join ${args.orgName} on DafnckMachine as ${ROLE_LABELS[args.role]}.`,
        "",
        `Accept the invitation: ${inviteUrl}`,
        "",
        `The link works once and expires on ${args.expiresAt.toUTCString()}.`,
        "If you did not expect this invitation, you can ignore this email.",
      ].join("\n"),
    });
    return { inviteUrl, emailSent: true };
  } catch (error) {
    console.error(`[invitations] could not send the invitation email to ${args.email}`, error);
    return { inviteUrl, emailSent: false };
  }
}
