import { env } from "@/lib/env";

export type Mail = { to: string; subject: string; text: string; html?: string };

const globalForMail = globalThis as unknown as { __dmOutbox?: Mail[] };

/** Mail sent while no SMTP is configured; tests and the dev log read links from here. */
export function outbox(): Mail[] {
  globalForMail.__dmOutbox ??= [];
  return globalForMail.__dmOutbox;
}

/**
 * Sends through SMTP when SMTP_URL is set. Without it the message (and so its link) is written to
 * the server log, which is how a laptop install verifies emails and resets passwords.
 */
export async function sendMail(mail: Mail): Promise<void> {
  const { SMTP_URL, MAIL_FROM } = env();
  if (!SMTP_URL) {
    const box = outbox();
    box.push(mail);
    if (box.length > 100) box.shift();
    console.info(`[mail] SMTP_URL is not set; not sent. To: ${mail.to} | ${mail.subject}\n${mail.text}`);
    return;
  }
  const nodemailer = await import("nodemailer");
  const transport = nodemailer.createTransport(SMTP_URL);
  await transport.sendMail({ from: MAIL_FROM, ...mail });
}

export const mailIsConfigured = () => Boolean(env().SMTP_URL);
