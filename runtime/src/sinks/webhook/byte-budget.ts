/** Measuring and cutting text by its UTF-8 size, for the webhook's `size_limit`. */

/** The UTF-8 size of `text`, in bytes. */
export const utf8Bytes = (text: string): number => Buffer.byteLength(text, "utf8");

/** The UTF-8 size of `value` serialized as JSON, in bytes. */
export const jsonBytes = (value: unknown): number => utf8Bytes(JSON.stringify(value));

const ELLIPSIS = "…";

/**
 * The longest start of `text` (whole code points, so no character is split) that, followed by
 * "…", `fits`; undefined when not even one character does. `fits` must be monotonic: if a
 * candidate fits, every shorter one does.
 */
export function cutToFit(text: string, fits: (candidate: string) => boolean): string | undefined {
  const points = Array.from(text);
  let low = 0; // a count known to fit (0: nothing)
  let high = points.length; // counts above `high` are known not to fit
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(points.slice(0, mid).join("") + ELLIPSIS)) low = mid;
    else high = mid - 1;
  }
  return low === 0 ? undefined : points.slice(0, low).join("") + ELLIPSIS;
}
