/** Kubernetes memory quantities ("512Mi", "1G", "129e6") in MiB, for tables people read. */

const FACTORS: Readonly<Record<string, number>> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A memory quantity in bytes; undefined when it is not one. */
export function quantityBytes(quantity: string | undefined): number | undefined {
  if (quantity === undefined) return undefined;
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(quantity.trim());
  const factor = match ? FACTORS[match[2]!] : undefined;
  return match && factor !== undefined ? Number(match[1]) * factor : undefined;
}

/** A memory quantity in whole MiB (Robusta shows these as "MB"); undefined when it is not one. */
export function quantityMiB(quantity: string | undefined): number | undefined {
  const bytes = quantityBytes(quantity);
  return bytes === undefined ? undefined : Math.round(bytes / 2 ** 20);
}
