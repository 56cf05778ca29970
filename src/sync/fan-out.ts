/**
 * Sends one command to every member with the least skew the wiring allows: every member is
 * called in ONE synchronous loop, never awaiting in between. A BlockControl enqueues its frame
 * before its method returns, so members on different lines are written in the same tick, and
 * the loop runs as one wire burst: members sharing a bus land in its queue together and the
 * scheduler hands them to the line in one write, back to back with no idle gap.
 */
import { asOneBurst } from '../../hardware/serial/wire-burst.js';
import type { BlockControl, CommandReport } from '../devices/block-api.js';
import { skewOf } from './plan.js';

export interface MemberFailure {
  block: string;
  error: unknown;
}

export interface FanOutResult {
  /** The members that took the command, in member order. */
  reports: CommandReport[];
  failures: MemberFailure[];
  /** max − min of the reports' sentAt, in ms (undefined with no timed frame). */
  skewMs: number | undefined;
}

export async function fanOut<M extends Pick<BlockControl, 'name'>>(members: readonly M[], send: (member: M) => Promise<CommandReport>): Promise<FanOutResult> {
  const pending: Promise<CommandReport>[] = [];
  asOneBurst(() => {
    for (const member of members) {
      // A member that throws instead of rejecting must not stop the loop: the rest still go now.
      try {
        pending.push(send(member));
      } catch (error) {
        pending.push(Promise.reject(error));
      }
    }
  });
  const settled = await Promise.allSettled(pending);
  const reports: CommandReport[] = [];
  const failures: MemberFailure[] = [];
  settled.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled') reports.push(outcome.value);
    else failures.push({ block: members[i]!.name, error: outcome.reason });
  });
  return { reports, failures, skewMs: skewOf(reports) };
}
