/** Writes to the cluster on behalf of remediation actions, failing with messages that say what was being done. */
import { errorMessage } from "../../../util/timeout.js";

/** Runs a cluster write; a failure is rethrown as "Could not <what>: <why>". */
export async function clusterWrite<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw new Error(`Could not ${what}: ${errorMessage(error)}`, { cause: error });
  }
}
