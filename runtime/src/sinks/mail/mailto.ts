/**
 * Robusta's `mailto`: an Apprise e-mail URL, read as Apprise reads it
 * (https://github.com/caronc/apprise/wiki/Notify_email):
 *
 *   mailto://[user[:password]@]host[:port][/to1[/to2...]][?to=&from=&name=&cc=&bcc=&reply=&smtp=&mode=&port=&user=&pass=&verify=&cto=&rto=&+Header=value]
 *
 * `mailtos://` means a secure connection (STARTTLS on 587 unless `mode=ssl`, 465); `mailto://` a
 * plain one on 25, unless `mode` says otherwise. The SMTP server is `smtp=`, else the host. The
 * sender is `from=` (an address, optionally with a name), else the user when it is an address,
 * else `user@host`; with no recipients the mail goes to the sender. Well-known providers (Gmail,
 * Outlook, ...) get their server, port and mode from the address, as Apprise does. Unlike Apprise,
 * which drops what it cannot read with a warning, every problem is an error here, and no message
 * repeats the password. Pure.
 */

/** How the SMTP connection is secured: Apprise's `mode`. */
export type SecureMode = "insecure" | "starttls" | "ssl";

/** An e-mail address with an optional display name. */
export interface MailAddress {
  readonly address: string;
  readonly name?: string;
}

/** What a mailto URL says, once read. */
export interface MailtoSettings {
  /** The SMTP server's host name. */
  readonly host: string;
  readonly port: number;
  readonly mode: SecureMode;
  /** Whether the server's TLS certificate is checked (`verify=no` turns it off). */
  readonly verify: boolean;
  /** Sign in only when both are given, as Apprise does. */
  readonly user?: string;
  readonly password?: string;
  readonly from: MailAddress;
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  readonly bcc: readonly MailAddress[];
  readonly replyTo: readonly MailAddress[];
  /** Extra headers, from `+Name=value`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Apprise's `cto` and `rto`, in milliseconds. */
  readonly connectTimeoutMs?: number;
  readonly readTimeoutMs?: number;
}

export type MailtoResult = { readonly ok: true; readonly settings: MailtoSettings } | { readonly ok: false; readonly problems: readonly string[] };

const DEFAULT_PORTS: Readonly<Record<SecureMode, number>> = { insecure: 25, starttls: 587, ssl: 465 };

/** The query parameters read here; others are refused (Apprise ignores them silently). */
const KNOWN_PARAMS = ["to", "from", "name", "cc", "bcc", "reply", "smtp", "mode", "port", "user", "pass", "password", "verify", "cto", "rto"] as const;

type Login = "email" | "userid";

interface Provider {
  readonly domain: RegExp;
  readonly host: string;
  readonly port: number;
  readonly mode: SecureMode;
  /** How the provider wants the login: the whole address or the part before @. */
  readonly login?: Login;
}

/** Apprise's EMAIL_TEMPLATES: well-known providers, by the domain of user@host. */
const PROVIDERS: readonly Provider[] = [
  { domain: /^gmail\.com$/i, host: "smtp.gmail.com", port: 587, mode: "starttls", login: "email" },
  { domain: /^yandex\.(com|ru|ua|by|kz|uz|tr|fr)$/i, host: "smtp.yandex.ru", port: 465, mode: "ssl", login: "userid" },
  { domain: /^(hotmail|live)\.com(\.au)?$/i, host: "smtp-mail.outlook.com", port: 587, mode: "starttls", login: "email" },
  { domain: /^(smtp\.)?outlook\.com(\.au)?$/i, host: "smtp.outlook.com", port: 587, mode: "starttls", login: "email" },
  { domain: /^(smtp\.)?office365\.com$/i, host: "smtp.office365.com", port: 587, mode: "starttls" },
  // Apprise pairs port 465 with STARTTLS here; Yahoo's 465 is implicit TLS.
  { domain: /^yahoo\.(ca|com)$/i, host: "smtp.mail.yahoo.com", port: 465, mode: "ssl", login: "email" },
  { domain: /^fastmail\.(com|cn|co\.uk|com\.au|de|es|fm|fr|im|in|jp|mx|net|nl|org|se|to|tw|uk|us)$/i, host: "smtp.fastmail.com", port: 465, mode: "ssl", login: "email" },
  { domain: /^zoho(mail)?\.com$/i, host: "smtp.zoho.com", port: 587, mode: "starttls", login: "email" },
  { domain: /^(\.smtp)?sendgrid\.(com|net)$/i, host: "smtp.sendgrid.net", port: 465, mode: "ssl", login: "userid" },
  { domain: /^163\.com$/i, host: "smtp.163.com", port: 465, mode: "ssl", login: "email" },
  { domain: /^(foxmail|qq)\.com$/i, host: "smtp.qq.com", port: 587, mode: "starttls", login: "email" },
  { domain: /^comcast\.net$/i, host: "smtp.comcast.net", port: 465, mode: "ssl", login: "email" },
];

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;
const IPV6 = /^\[[0-9a-f:.]+\]$/i;
const ADDRESS = /^[^\s@<>()[\],;:"\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;

const isHostname = (host: string): boolean => host.length <= 253 && (IPV6.test(host) || host.replace(/\.$/, "").split(".").every((label) => HOST_LABEL.test(label)));
const isAddress = (text: string): boolean => ADDRESS.test(text);

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** "a@x.com", "Ops <a@x.com>" or Apprise's "Ops:a@x.com" as an address; undefined when it is none. */
export function parseAddress(text: string): MailAddress | undefined {
  const trimmed = text.trim();
  const angled = /^"?([^"<]*?)"?\s*<([^<>]+)>$/.exec(trimmed);
  const colon = /^([^:<@]+):([^:]+@[^:]+)$/.exec(trimmed);
  const [name, address] = angled ? [angled[1]!.trim(), angled[2]!.trim()] : colon ? [colon[1]!.trim(), colon[2]!.trim()] : ["", trimmed];
  if (!isAddress(address)) return undefined;
  return name ? { address, name } : { address };
}

/** Addresses separated by commas or semicolons (or spaces, between bare addresses), as Apprise lists them. */
function parseAddresses(text: string, what: string, problems: string[]): MailAddress[] {
  const addresses: MailAddress[] = [];
  for (const entry of text.split(/[,;]/).map((part) => part.trim()).filter((part) => part !== "")) {
    const one = parseAddress(entry);
    const several = one ? [one] : entry.split(/\s+/).map(parseAddress);
    if (several.every((address): address is MailAddress => address !== undefined)) addresses.push(...several);
    else problems.push(`${what}: "${entry}" is not an e-mail address`);
  }
  return addresses;
}

/** Apprise's yes/no words. */
function parseBool(text: string): boolean | undefined {
  const word = text.toLowerCase();
  if (/^(y|yes|t|true|1|on|en|enable|enabled|al|allow|always)$/.test(word)) return true;
  if (/^(n|no|f|false|0|of|off|di|disable|disabled|de|deny|ne|never)$/.test(word)) return false;
  return undefined;
}

function parsePort(text: string, problems: string[]): number | undefined {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (port >= 1 && port <= 65535) return port;
  // Not echoed: with an unencoded "/" in the password, what reads as the port is part of it.
  problems.push("the port must be a number from 1 to 65535");
  return undefined;
}

function parseSeconds(key: string, text: string, problems: string[]): number | undefined {
  const seconds = Number(text);
  if (text !== "" && Number.isFinite(seconds) && seconds > 0) return Math.round(seconds * 1000);
  problems.push(`${key}= must be a number of seconds above 0`);
  return undefined;
}

interface RawUrl {
  readonly secure: boolean;
  readonly user?: string;
  readonly password?: string;
  readonly host: string;
  readonly port?: string;
  readonly path: readonly string[];
  /** Lower-cased keys; `+Header` keys keep their case in `headers`. */
  readonly query: ReadonlyMap<string, string>;
  readonly headers: Readonly<Record<string, string>>;
}

/** Splits the URL as Apprise does (the query after the first "?"), but user info ends at the last "@". */
function splitUrl(url: string, problems: string[]): RawUrl | undefined {
  const scheme = /^\s*(mailtos?):\/\/(.*?)\s*$/is.exec(url);
  if (!scheme) {
    problems.push("must start with mailto:// or mailtos://");
    return undefined;
  }
  const [, schemeName, rest] = scheme as unknown as [string, string, string];
  const queryAt = rest.indexOf("?");
  const location = queryAt < 0 ? rest : rest.slice(0, queryAt);
  const slash = location.indexOf("/");
  const authority = slash < 0 ? location : location.slice(0, slash);
  if (queryAt < 0 && /&[a-z+]+=/i.test(authority)) {
    problems.push("parameters start with '?': mailtos://user:password@server?from=a@x&to=b@y (not '&' right after the server)");
    return undefined;
  }
  // The last "@": an unencoded "@" in the password then still reads right (Apprise would lose the host).
  const at = authority.lastIndexOf("@");
  const userInfo = at < 0 ? undefined : authority.slice(0, at);
  const hostPort = at < 0 ? authority : authority.slice(at + 1);
  const colon = userInfo?.indexOf(":") ?? -1;
  const portMatch = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort)!;

  const query = new Map<string, string>();
  const headers: Record<string, string> = {};
  for (const pair of queryAt < 0 ? [] : rest.slice(queryAt + 1).split(/[&;]/)) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const key = decode(equals < 0 ? pair : pair.slice(0, equals));
    const value = decode(equals < 0 ? "" : pair.slice(equals + 1));
    if (key === undefined || value === undefined) {
      problems.push("a query parameter has a broken %-escape");
      continue;
    }
    if (key.startsWith("+")) headers[key.slice(1)] = value.trim();
    else query.set(key.trim().toLowerCase(), value.trim());
  }
  const user = userInfo === undefined ? undefined : decode(colon < 0 ? userInfo : userInfo.slice(0, colon));
  const password = userInfo === undefined || colon < 0 ? undefined : decode(userInfo.slice(colon + 1));
  if ((userInfo !== undefined && user === undefined) || (colon >= 0 && password === undefined)) problems.push("the user or password has a broken %-escape");
  const path = (slash < 0 ? "" : location.slice(slash + 1))
    .split("/")
    .filter((segment) => segment !== "")
    .map((segment) => decode(segment) ?? segment);
  return {
    secure: schemeName.toLowerCase() === "mailtos",
    ...(user !== undefined && user !== "" && { user }),
    ...(password !== undefined && password !== "" && { password }),
    host: portMatch[1]!,
    ...(portMatch[2] !== undefined && { port: portMatch[2] }),
    path,
    query,
    headers,
  };
}

function headerProblems(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers).flatMap(([name, value]) => {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return [`+${name}: is not a valid header name`];
    if (/[\r\n\0]/.test(value)) return [`+${name}: the value must not contain line breaks`];
    return [];
  });
}

/** Reads a mailto:// or mailtos:// URL as Apprise does, reporting every problem (never the password). */
export function parseMailto(url: string): MailtoResult {
  const problems: string[] = [];
  const raw = splitUrl(url, problems);
  if (!raw) return { ok: false, problems };
  const { query } = raw;
  const param = (key: (typeof KNOWN_PARAMS)[number]): string | undefined => {
    const value = query.get(key);
    return value === undefined || value === "" ? undefined : value;
  };

  for (const key of query.keys()) {
    if (key === "pgp" || key === "pgpkey") problems.push(`${key}=: PGP encryption is not supported`);
    else if (!(KNOWN_PARAMS as readonly string[]).includes(key)) {
      // A key that is no word may be the end of a password with an unencoded "?": not echoed.
      const named = /^[a-z0-9_-]+$/.test(key) ? `"${key}"` : "(not shown; URL-encode ?, / and @ in the password)";
      problems.push(`unknown parameter ${named} (known: ${KNOWN_PARAMS.join(", ")}, and +Header=value)`);
    }
  }
  problems.push(...headerProblems(raw.headers));

  let user = param("user") ?? raw.user;
  // mailtos://PASSWORD@host?user=me@x.com: the URL's user is the password (Apprise).
  const password = param("pass") ?? param("password") ?? raw.password ?? (param("user") !== undefined ? raw.user : undefined);

  const targets: MailAddress[] = [];
  let host = raw.host;
  if (host !== "" && !isHostname(host)) {
    // An address URL-encoded as the host (mailtos://me%40example.com): a recipient, not a server.
    const asAddress = parseAddress(decode(host) ?? host);
    if (asAddress) targets.push(asAddress);
    else problems.push(`"${host}" is not a host name`);
    host = "";
  }

  const modeText = param("mode")?.toLowerCase();
  let mode: SecureMode = raw.secure ? "starttls" : "insecure";
  if (modeText !== undefined) {
    if (modeText === "ssl" || modeText === "starttls" || modeText === "insecure") mode = modeText;
    else problems.push(`mode=${modeText}: must be ssl, starttls or insecure`);
  }
  const portText = param("port") ?? raw.port;
  let port = portText === undefined ? undefined : parsePort(portText, problems);
  let smtpHost = param("smtp");
  if (smtpHost !== undefined && !isHostname(smtpHost)) problems.push(`smtp=${smtpHost}: is not a host name`);

  // A well-known provider, unless the server is given: its server, port and mode, and its login form.
  if (smtpHost === undefined && user !== undefined && host !== "") {
    const domain = host;
    const provider = PROVIDERS.find((candidate) => candidate.domain.test(domain));
    if (provider) {
      smtpHost = provider.host;
      // The provider's port goes with its mode; another mode given gets that mode's usual port.
      if (modeText === undefined || modeText === provider.mode) port ??= provider.port;
      if (modeText === undefined) mode = provider.mode;
      if (provider.login === "userid" && user.includes("@")) user = user.split("@")[0]!;
      else if (provider.login === "email" && !user.includes("@")) user = `${user}@${host}`;
      else if (provider.login === "email") host = user.split("@")[1]!;
    }
  }

  // The sender: the user if it is an address, else user@host (Apprise: always user@host); from= and name= override it.
  let from: MailAddress | undefined;
  if (user !== undefined && host !== "") from = { address: isAddress(user) ? user : `${user.split(/[\s@]+/)[0]}@${host}`, name: "Robusta" };
  else if (user !== undefined && isAddress(user)) {
    host = user.split("@")[1]!;
    from = { address: user, name: "Robusta" };
  }
  const fromText = param("from");
  const nameText = param("name");
  if (fromText !== undefined) {
    const parsed = parseAddress(fromText);
    if (parsed) from = nameText !== undefined ? { address: parsed.address, name: nameText } : parsed;
    // Not an address: a name for the sender, as in Apprise (unless it was meant as an address).
    else if (from && !fromText.includes("@")) from = { address: from.address, name: fromText };
    else problems.push(`from=${fromText}: is not an e-mail address`);
  } else if (nameText !== undefined && from) {
    from = { address: from.address, name: nameText };
  }
  if (!from && fromText === undefined) problems.push("no sender address: add from=alerts@example.com (or give user@host)");

  for (const segment of raw.path) targets.push(...parseAddresses(segment, "recipient", problems));
  const toText = param("to");
  if (toText !== undefined) targets.push(...parseAddresses(toText, "to", problems));
  const cc = parseAddresses(param("cc") ?? "", "cc", problems);
  const bcc = parseAddresses(param("bcc") ?? "", "bcc", problems);
  const replyTo = parseAddresses(param("reply") ?? "", "reply", problems);

  const serverHost = smtpHost ?? host;
  if (serverHost === "") problems.push("no SMTP server: give one as the host (mailtos://user:password@smtp.example.com) or with smtp=");
  const verifyText = param("verify");
  const verify = verifyText === undefined ? true : parseBool(verifyText);
  if (verify === undefined) problems.push(`verify=${verifyText}: must be yes or no`);
  const ctoText = query.get("cto");
  const rtoText = query.get("rto");
  const connectTimeoutMs = ctoText === undefined ? undefined : parseSeconds("cto", ctoText, problems);
  const readTimeoutMs = rtoText === undefined ? undefined : parseSeconds("rto", rtoText, problems);

  if (problems.length > 0 || !from) return { ok: false, problems };
  return {
    ok: true,
    settings: {
      host: serverHost.replace(/^\[|\]$/g, ""),
      port: port ?? DEFAULT_PORTS[mode],
      mode,
      verify: verify!,
      ...(user !== undefined && password !== undefined && { user, password }),
      from,
      // No recipients: the mail goes to the sender (Apprise).
      to: targets.length > 0 ? targets : [{ address: from.address }],
      cc,
      bcc,
      replyTo,
      headers: raw.headers,
      ...(connectTimeoutMs !== undefined && { connectTimeoutMs }),
      ...(readTimeoutMs !== undefined && { readTimeoutMs }),
    },
  };
}
