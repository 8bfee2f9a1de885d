/** Creating and shaping findings, change tracking, and silencers (Robusta §5.1, §5.3, §5.5). */
import type { AnyAction } from "../../define.js";

export const findingActions: AnyAction[] = [];
