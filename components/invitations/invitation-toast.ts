import { toast } from "sonner";

/** Confirms a sent (or resent) invitation, with the link to copy for when mail is slow or not configured. */
export function toastInvitationSent(result: { inviteUrl: string; emailSent: boolean }, email: string) {
  const action = {
    label: "Copy link",
    onClick: () => {
      navigator.clipboard
        .writeText(result.inviteUrl)
        .then(() => toast.success("Invitation link copied."))
        .catch(() => toast.error("Could not copy the link."));
    },
  };
  if (result.emailSent) {
    toast.success(`Invitation sent to ${email}.`, { action });
  } else {
    toast.warning(
      `The invitation for ${email} was created, but the email could not be sent. Copy the link instead.`,
      {
        action,
        duration: 15_000,
      },
    );
  }
}
