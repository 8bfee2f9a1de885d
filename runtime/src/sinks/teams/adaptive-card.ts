/**
 * The Adaptive Card elements the Teams sink uses (schema 1.5, which Teams renders in channels,
 * from Workflows webhooks and from Graph alike), and the message envelope that carries a card.
 */

/** Markdown text (Teams' subset: **bold**, _italic_, lists, [links](url); line breaks need "\n\n"). */
export interface TextBlock {
  readonly type: "TextBlock";
  readonly text: string;
  readonly wrap: true;
  readonly weight?: "Bolder";
  readonly size?: "Small" | "Medium" | "Large" | "ExtraLarge";
  readonly fontType?: "Monospace";
  readonly isSubtle?: boolean;
  readonly color?: "Attention" | "Good" | "Warning" | "Accent";
  readonly separator?: boolean;
  readonly spacing?: "Small" | "Medium" | "Large";
}

/** Key/value pairs, compact: 2-column tables without headers. */
export interface FactSet {
  readonly type: "FactSet";
  readonly facts: readonly { readonly title: string; readonly value: string }[];
  readonly separator?: boolean;
}

export interface TableCell {
  readonly type: "TableCell";
  readonly items: readonly TextBlock[];
}

export interface TableRow {
  readonly type: "TableRow";
  readonly cells: readonly TableCell[];
}

/** A grid (introduced in 1.5). */
export interface Table {
  readonly type: "Table";
  readonly columns: readonly { readonly width: number }[];
  readonly rows: readonly TableRow[];
  readonly firstRowAsHeader: boolean;
  readonly gridStyle?: "accent" | "default";
  readonly separator?: boolean;
}

/** A button that opens a URL: the only kind of action the Teams sink sends. */
export interface OpenUrlAction {
  readonly type: "Action.OpenUrl";
  readonly title: string;
  readonly url: string;
}

export interface ActionSet {
  readonly type: "ActionSet";
  readonly actions: readonly OpenUrlAction[];
  readonly separator?: boolean;
}

/** A styled group of elements: the coloured header band. */
export interface Container {
  readonly type: "Container";
  readonly style?: "default" | "emphasis" | "good" | "attention" | "warning" | "accent";
  readonly bleed?: boolean;
  readonly items: readonly CardElement[];
  readonly separator?: boolean;
}

export type CardElement = TextBlock | FactSet | Table | ActionSet | Container;

export interface AdaptiveCard {
  readonly $schema: "http://adaptivecards.io/schemas/adaptive-card.json";
  readonly type: "AdaptiveCard";
  readonly version: "1.5";
  /** Teams-specific: use the channel's full width (tables and logs need it). */
  readonly msteams: { readonly width: "Full" };
  readonly body: readonly CardElement[];
}

export const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

/** What a Workflows ("Post to a channel when a webhook request is received") webhook takes. */
export interface TeamsMessage {
  readonly type: "message";
  readonly attachments: readonly [
    {
      readonly contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
      readonly contentUrl: null;
      readonly content: AdaptiveCard;
    },
  ];
}

/** Wraps a card body in a card and the message envelope. */
export function teamsMessage(body: readonly CardElement[]): TeamsMessage {
  return {
    type: "message",
    attachments: [
      {
        contentType: ADAPTIVE_CARD_CONTENT_TYPE,
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.5",
          msteams: { width: "Full" },
          body,
        },
      },
    ],
  };
}

/**
 * The size Teams holds a message to (28 KB), in UTF-8 bytes. Teams stores the card as a JSON
 * string inside the message, so every quote and backslash in it counts twice: a 24 KB webhook
 * request has been refused as 28.9 KB of "message properties". This is that stored size (the
 * request as sent is never larger), so a card within it is accepted by Workflows and Graph alike.
 */
export function teamsMessageBytes(message: TeamsMessage): number {
  const [attachment] = message.attachments;
  return Buffer.byteLength(JSON.stringify({ ...message, attachments: [{ ...attachment, content: JSON.stringify(attachment.content) }] }));
}

/** Teams' message size limit: 28 KB. */
export const TEAMS_MAX_MESSAGE_BYTES = 28 * 1024;
