/** Kubernetes versions as components report them ("v1.29.3", "v1.28.9-eks-036c24b"), compared by their numbers. */

/** [major, minor, patch]; undefined when the text holds no version. */
export function versionNumbers(version: string): [number, number, number] | undefined {
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

/** Orders versions by major, minor, patch; text without a version sorts first. */
export function compareVersions(a: string, b: string): number {
  const none: [number, number, number] = [-1, -1, -1];
  const [x, y] = [versionNumbers(a) ?? none, versionNumbers(b) ?? none];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** "v1.29": what KubeVersionMismatch compares (it ignores patch releases). */
export function minorVersion(version: string): string | undefined {
  const numbers = versionNumbers(version);
  return numbers ? `v${numbers[0]}.${numbers[1]}` : undefined;
}

/** The newest of the versions. */
export const newestVersion = (versions: readonly string[]): string | undefined => [...versions].sort(compareVersions).at(-1);
