/**
 * Sweeps of child streams whose parent may not move when a child changes.
 *
 * Reading children of changed parents only is safe only if a new or changed
 * child changes its parent. For Help Center comments, votes and attachments no
 * Zendesk source says so (nor that it does not), so a child stream with
 * `parent.sweep` also reads the children of every parent once
 * `child_sweep_hours` have passed since its last full pass, and of changed
 * parents in between: a child whose parent never moves is late by at most that
 * interval, never lost. The time of the last full pass is kept in the stream's
 * state (`swept_at`); a sweep under way carries `sweep_started` so that a
 * resumed run finishes it instead of starting over.
 */
import type { TapConfig } from '../../config/types.js';
import type { Position } from '../../state/position.js';
import type { StreamDescriptor } from '../../streams/descriptor.js';

export interface SweepPlan {
  /** Where the parent walk starts: `{}` (every parent) for a sweep. */
  parentStart: Position;
  /** The walk starts over: parents done in an earlier walk do not count. */
  restart: boolean;
  /** Carried by every checkpoint of this pass. */
  marks: Pick<Position, 'sweptAt' | 'sweepStarted'>;
}

export function planSweep(link: NonNullable<StreamDescriptor['parent']>, start: Position, config: TapConfig, nowSeconds: number): SweepPlan {
  const resumeAt = start.parent ?? {};
  if (!link.sweep) return { parentStart: resumeAt, restart: false, marks: {} };
  if (start.sweepStarted !== undefined) {
    return { parentStart: resumeAt, restart: false, marks: { sweepStarted: start.sweepStarted, sweptAt: start.sweptAt } };
  }
  // No parent position: this pass reads every parent anyway (first sync, or a state from before sweeps).
  if (start.parent === undefined) return { parentStart: {}, restart: false, marks: { sweepStarted: nowSeconds } };
  const due = start.sweptAt === undefined || nowSeconds - start.sweptAt >= config.childSweepHours * 3600;
  if (due) return { parentStart: {}, restart: true, marks: { sweepStarted: nowSeconds, sweptAt: start.sweptAt } };
  return { parentStart: resumeAt, restart: false, marks: { sweptAt: start.sweptAt } };
}

/** The marks of the checkpoint that ends the pass: a finished sweep becomes the last full pass. */
export function endOfPass(marks: SweepPlan['marks']): Pick<Position, 'sweptAt'> {
  const sweptAt = marks.sweepStarted ?? marks.sweptAt;
  return sweptAt === undefined ? {} : { sweptAt };
}
