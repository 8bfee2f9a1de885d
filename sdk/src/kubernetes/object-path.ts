/**
 * Paths into plain Kubernetes objects, written as Robusta writes them (pydash style):
 * `spec.template.spec.containers[0].image`. A key holding dots or brackets is quoted,
 * `metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]`. Small on purpose:
 * get, remove and format are all scope and change_filters need.
 */

/** One step of a path: an object key or an array index. */
export type PathSegment = string | number;

/** Thrown for a path that cannot be parsed; the message says where it goes wrong. */
export class PathSyntaxError extends Error {
  constructor(path: string, problem: string) {
    super(`path "${path}": ${problem}`);
    this.name = "PathSyntaxError";
  }
}

/** The segments of `path`; throws PathSyntaxError when it is malformed. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = 0;
  const fail = (problem: string): never => {
    throw new PathSyntaxError(path, problem);
  };
  if (path.trim() === "") fail("is empty");
  while (i < path.length) {
    if (path[i] === "[") {
      const close = path.indexOf("]", i);
      if (close < 0) fail(`"[" at ${i} is not closed`);
      const inside = path.slice(i + 1, close).trim();
      const quoted = /^(["'])(.*)\1$/.exec(inside);
      if (quoted) segments.push(quoted[2]!);
      else if (/^\d+$/.test(inside)) segments.push(Number(inside));
      else fail(`"[${inside}]" must be an index like [0] or a quoted key like ["a.b"]`);
      i = close + 1;
    } else {
      if (segments.length > 0) {
        if (path[i] !== ".") fail(`expected "." or "[" at ${i}`);
        i++;
      }
      let key = "";
      while (i < path.length && path[i] !== "." && path[i] !== "[") {
        if (path[i] === "]") fail(`unexpected "]" at ${i}`);
        key += path[i++];
      }
      if (key.trim() === "") fail(`empty key at ${i}`);
      segments.push(key.trim());
    }
  }
  return segments;
}

const plainKey = /^[^.[\]"']+$/;

/** A path as text: keys joined by dots, indexes in brackets, odd keys quoted. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (!plainKey.test(segment)) out += `[${JSON.stringify(segment)}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/** The child of `value` at one segment. A numeric key also indexes an array, as pydash's "a.0.b". */
function child(value: unknown, segment: PathSegment): unknown {
  if (Array.isArray(value)) {
    const index = typeof segment === "number" ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
    return index >= 0 ? value[index] : undefined;
  }
  return isRecord(value) && typeof segment === "string" && Object.hasOwn(value, segment) ? value[segment] : undefined;
}

/** The value at `segments` in `value`, or undefined when some step is missing. */
export function getAtPath(value: unknown, segments: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of segments) {
    current = child(current, segment);
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * A copy of `value` without what is at `segments`, copying only the objects along the path (the
 * rest is shared, so nothing may mutate the result). An array element is set to undefined rather
 * than spliced, so later indexes keep theirs. Returns `value` itself when the path is absent.
 */
export function withoutPath<T>(value: T, segments: readonly PathSegment[]): T {
  if (segments.length === 0) return value;
  const [head, ...rest] = segments as [PathSegment, ...PathSegment[]];
  const current = child(value, head);
  if (current === undefined) return value;
  const replaced = rest.length === 0 ? undefined : withoutPath(current, rest);
  if (rest.length > 0 && replaced === current) return value;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[typeof head === "number" ? head : Number(head)] = replaced;
    return copy as T;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (rest.length === 0) delete copy[head as string];
  else copy[head as string] = replaced;
  return copy as T;
}
