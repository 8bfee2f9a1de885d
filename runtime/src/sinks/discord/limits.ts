/**
 * Discord's documented message limits for webhooks (discord.com/developers/docs: Message
 * resource, "Embed Limits" and "Create Message"; Reference, "Uploading Files"). Characters are
 * counted as code points.
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Characters across every embed of a message: titles, descriptions, field names and values, footers, author names. */
  embedsTotal: 6000,
  attachments: 10,
  /** The upload limit per file on a server without boosts. */
  fileBytes: 10 * 1024 * 1024,
  /** A whole request (Execute Webhook, Create Message): Discord answers 413 to a larger one. */
  requestBytes: 25 * 1024 * 1024,
} as const;
