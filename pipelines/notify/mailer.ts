/**
 * Where email goes (ADR 025): an SMTP server locally (nodemailer, `OUTTURN_SMTP_URL`), Amazon
 * SES in AWS (the notify and api functions' role may send from the configured identity). With
 * neither configured nothing is sent, and the caller says so in its log.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import nodemailer from 'nodemailer';

export interface Email {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Where it sends, for logs: `smtp://127.0.0.1:2525`, `ses`. */
  readonly description: string;
  /** @returns the message id the server gave. */
  send(email: Email): Promise<string>;
}

/** A plain-text mail through the SMTP server at `url` (smtp://host:port, smtps://user:pass@host). */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  const shown = new URL(url);
  return {
    description: `${shown.protocol}//${shown.host}`,
    async send(email) {
      const info = await transport.sendMail({ from, ...email });
      return String(info.messageId);
    },
  };
}

/** A plain-text mail through Amazon SES, from an address of the verified identity. */
export function sesMailer(client: Pick<SESv2Client, 'send'>, from: string): Mailer {
  return {
    description: 'ses',
    async send(email) {
      const out = await client.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [email.to] },
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
            },
          },
        }),
      );
      return out.MessageId ?? '';
    },
  };
}

/** The sender address when none is configured. */
export const DEFAULT_FROM = 'outturn@localhost';

/** The local mailer from the environment, or null (nothing is sent) when OUTTURN_SMTP_URL is unset. */
export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): Mailer | null {
  const url = env['OUTTURN_SMTP_URL']?.trim();
  if (!url) return null;
  return smtpMailer(url, env['OUTTURN_MAIL_FROM']?.trim() || DEFAULT_FROM);
}
