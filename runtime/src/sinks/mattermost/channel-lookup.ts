/**
 * Finding the channel a `mattermost_sink` posts to from its name, as Robusta does (it takes the
 * URL name or the display name). Looked up in the bot's own teams, so the bot needs no system
 * permissions: by URL name first (public channels, and private ones the bot is in), then by
 * display name through the team's channel search.
 */
import { DeliveryError } from "../../delivery/delivery-error.js";
import type { MattermostApi, MattermostTeam } from "./mattermost-api.js";

const sameText = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The teams to look in: the one `team` names (by name or display name), or all the bot's. */
async function teamsToSearch(api: MattermostApi, team: string | undefined, signal: AbortSignal | undefined): Promise<MattermostTeam[]> {
  const teams = await api.myTeams(signal);
  if (team === undefined) {
    if (teams.length === 0) throw new DeliveryError("The Mattermost bot is not a member of any team: add it to the channel's team", { retryable: false });
    return teams;
  }
  const chosen = teams.filter((candidate) => candidate.name === team || sameText(candidate.display_name, team));
  if (chosen.length === 0) {
    const names = teams.map((candidate) => candidate.name).join(", ") || "none";
    throw new DeliveryError(`The Mattermost bot is not a member of team "${team}" (its teams: ${names})`, { retryable: false, status: 404 });
  }
  return chosen;
}

/** The id of the channel `channel` names ("alerts-prod", "~alerts-prod" or "Alerts Prod"); a permanent DeliveryError when there is none. */
export async function findChannelId(api: MattermostApi, channel: string, team: string | undefined, signal?: AbortSignal): Promise<string> {
  const wanted = channel.replace(/^[~#]/, "");
  const teams = await teamsToSearch(api, team, signal);
  for (const candidate of teams) {
    const found = await api.channelByName(candidate.id, wanted.toLowerCase(), signal);
    if (found) return found.id;
  }
  for (const candidate of teams) {
    const found = (await api.searchChannels(candidate.id, wanted, signal)).find((c) => c.name === wanted || sameText(c.display_name, wanted));
    if (found) return found.id;
  }
  const where = teams.map((candidate) => candidate.name).join(", ");
  throw new DeliveryError(
    `Mattermost channel "${channel}" not found in team${teams.length === 1 ? "" : "s"} ${where} (by name or display name); for a private channel, add the bot to it`,
    { retryable: false, status: 404 },
  );
}
