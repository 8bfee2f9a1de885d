/** Measuring text by its UTF-8 size, for the webhook's `size_limit` (cutting it: common/render-markdown's cutToFit). */

/** The UTF-8 size of `text`, in bytes. */
export const utf8Bytes = (text: string): number => Buffer.byteLength(text, "utf8");

/** The UTF-8 size of `value` serialized as JSON, in bytes. */
export const jsonBytes = (value: unknown): number => utf8Bytes(JSON.stringify(value));
