/** Which resources the API server serves, asked once per group/version. */
import { KubeApiError, type KubeApiClient } from "./api-client.js";
import { apiVersionOf, type CustomResourceSpec, type ResourceType, type ServedResource } from "./resources.js";

interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export class Discovery {
  private readonly groupVersions = new Map<string, Promise<APIResource[] | undefined>>();

  constructor(private readonly client: KubeApiClient) {}

  /** The resources of a group/version, or undefined when the server does not serve it. */
  resources(group: string, version: string): Promise<APIResource[] | undefined> {
    const key = apiVersionOf(group, version);
    let found = this.groupVersions.get(key);
    if (!found) {
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      found = this.client.json<{ resources: APIResource[] }>("GET", path).then(
        (list) => list.resources.filter((r) => !r.name.includes("/")), // drop subresources
        (error: unknown) => {
          if (error instanceof KubeApiError && error.statusCode === 404) return undefined;
          this.groupVersions.delete(key); // a passing failure: ask again next time
          throw error;
        },
      );
      this.groupVersions.set(key, found);
    }
    return found;
  }

  /** Where the server serves a built-in kind, trying its locations in order; undefined if nowhere. */
  async resolve(type: ResourceType): Promise<ServedResource | undefined> {
    for (const { group, version } of type.locations) {
      const served = await this.resources(group, version);
      if (served?.some((r) => r.name === type.plural)) return { type, group, version, apiVersion: apiVersionOf(group, version) };
    }
    return undefined;
  }

  /** A custom resource by group/version/plural; undefined if not served. */
  async resolveCustom(spec: CustomResourceSpec): Promise<ServedResource | undefined> {
    const served = (await this.resources(spec.group, spec.version))?.find((r) => r.name === spec.resource);
    if (!served) return undefined;
    const type: ResourceType = {
      kind: served.kind,
      plural: served.name,
      namespaced: served.namespaced,
      locations: [{ group: spec.group, version: spec.version }],
    };
    return { type, group: spec.group, version: spec.version, apiVersion: apiVersionOf(spec.group, spec.version) };
  }
}
