import { isAction, type AnyAction } from "./define.js";

/** Actions by name, so YAML playbooks can name them. */
export class ActionRegistry {
  private readonly actions = new Map<string, AnyAction>();

  constructor(actions: Iterable<AnyAction> = []) {
    for (const action of actions) this.register(action);
  }

  /** Adds an action. Two different actions with one name are refused: it would be ambiguous. */
  register(action: AnyAction): void {
    const existing = this.actions.get(action.actionName);
    if (existing && existing !== action) {
      throw new Error(`Two different actions are named "${action.actionName}". Action names must be unique.`);
    }
    this.actions.set(action.actionName, action);
  }

  get(name: string): AnyAction | undefined {
    return this.actions.get(name);
  }

  names(): string[] {
    return [...this.actions.keys()].sort();
  }
}

/** Every action among a module's exports (and arrays of them). */
export function collectActions(exports: Readonly<Record<string, unknown>> | readonly unknown[]): AnyAction[] {
  const values = Array.isArray(exports) ? exports : Object.values(exports);
  return values.flatMap((value): AnyAction[] => (isAction(value) ? [value] : Array.isArray(value) ? collectActions(value) : []));
}
