/**
 * The block and action ids the Slack renderer gives, so the sink's interactivity handler can tell a
 * callback button from a link button and find the block to replace after a press.
 */

/**
 * Prefix of callback ids. A button's `action_id` is `robusta_callback:<choice index>`; its actions
 * block's `block_id` is `robusta_callback:block:<n>` (n counts callback blocks in the message); the
 * note shown instead of buttons that cannot run here is `robusta_callback:unavailable:<n>`.
 */
export const CALLBACK_ACTION_PREFIX = "robusta_callback";

/** Prefix of link buttons' `action_id` (`robusta_link:<n>`): Slack reports their clicks too, to be acknowledged and ignored. */
export const LINK_ACTION_PREFIX = "robusta_link";

/** `block_id` of the section with the status, severity and title, which a resolve edit rewrites. */
export const HEADER_BLOCK_ID = "robusta_header";

/** The `block_id` of the `n`th callback block's actions (`part` > 0 when it has more than 25 buttons). */
export const callbackBlockId = (n: number, part = 0): string => `${CALLBACK_ACTION_PREFIX}:block:${n}${part > 0 ? `.${part}` : ""}`;

/** The `block_id` of the note shown instead of the `n`th callback block's buttons. */
export const callbackUnavailableId = (n: number): string => `${CALLBACK_ACTION_PREFIX}:unavailable:${n}`;

/** Whether a block holds callback buttons (or the note that stands for them). */
export const isCallbackBlockId = (blockId: string | undefined): boolean => blockId?.startsWith(`${CALLBACK_ACTION_PREFIX}:`) ?? false;

/** Whether an `action_id` is a callback button's. */
export const isCallbackActionId = (actionId: string | undefined): boolean => actionId?.startsWith(`${CALLBACK_ACTION_PREFIX}:`) ?? false;
