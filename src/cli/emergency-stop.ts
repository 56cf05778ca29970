/**
 * The last line of defence: stops to send when the process dies of an error nobody caught.
 *
 * A command's own try/finally stops its motion for every error that reaches it; an exception
 * thrown in some callback (a timer, an event listener) never does. bin.ts catches those,
 * runs every registered stop, and only then exits.
 */
const stops = new Set<() => Promise<void>>();

/** Registers a stop to send if the process dies; returns the function that unregisters it. */
export function onFatalErrorStop(stop: () => Promise<void>): () => void {
  stops.add(stop);
  return () => stops.delete(stop);
}

/** Runs every registered stop; resolves with how many were sent and the errors of those that failed. */
export async function runEmergencyStops(): Promise<{ sent: number; failures: unknown[] }> {
  const results = await Promise.allSettled([...stops].map((stop) => stop()));
  stops.clear();
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  return { sent: results.length - failures.length, failures };
}
