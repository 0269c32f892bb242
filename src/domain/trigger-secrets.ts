/**
 * Webhook signing secrets live inside trigger definitions. Like every secret they are write-only: what the API
 * and `triggers export` show carries `secretSet: true` instead, and a save that leaves the secret out keeps
 * the stored one.
 */

type Definition = Record<string, unknown>;
type ActionLike = Record<string, unknown> & { name?: unknown; type?: unknown; secret?: unknown };

function actionsOf(definition: Definition): ActionLike[] {
  return Array.isArray(definition.actions) ? (definition.actions as ActionLike[]) : [];
}

export function maskTriggerSecrets<T extends Definition>(definition: T): T {
  return {
    ...definition,
    actions: actionsOf(definition).map((action) => {
      if (action.type !== 'webhook' || !('secret' in action)) return action;
      const { secret, ...rest } = action;
      return { ...rest, secretSet: Boolean(secret) };
    }),
  };
}

/** Drop the `secretSet` markers and put back stored secrets the caller did not replace. */
export function restoreTriggerSecrets(incoming: unknown, stored: Definition | null): unknown {
  if (typeof incoming !== 'object' || incoming === null || !Array.isArray((incoming as Definition).actions)) return incoming;
  const storedSecrets = new Map(
    actionsOf(stored ?? {}).filter((a) => typeof a.secret === 'string').map((a) => [a.name, a.secret]),
  );
  return {
    ...(incoming as Definition),
    actions: actionsOf(incoming as Definition).map((action) => {
      if (action.type !== 'webhook') return action;
      const { secretSet, ...rest } = action;
      if (rest.secret === undefined && secretSet !== false && storedSecrets.has(action.name)) rest.secret = storedSecrets.get(action.name);
      return rest;
    }),
  };
}
