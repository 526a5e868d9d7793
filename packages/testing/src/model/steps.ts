import type { Reply } from '@camledger/domain';
import { testId } from '@camledger/domain/testing';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { MiniWorker } from './mini-worker.ts';
import type { Prediction, ReferenceModel } from './reference.ts';

// The vocabulary of the model-based test: what a step is, and the pools its
// arguments are drawn from. Arguments are drawn as plain indices and resolved
// against the model when the step runs, so a step always names ids the model
// knows of (plus a few unknown and malformed ones), also after shrinking.

/** Every (command, code) answered in this process, so a test can show which answers the runs reached. */
export const answersSeen = new Map<string, number>();

/** One command as a step will send it, and what the model says of it. */
export interface Planned {
  readonly command: string;
  readonly actor: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly prediction: Prediction;
  /** More to check of an accepted reply, e.g. that a repeat names what exists. */
  readonly alsoCheck?: (reply: Reply) => void;
}

/**
 * Runs one command on the real domain and asserts that its code is one the
 * model allows, that a refusal records nothing, and that no follow-up was
 * refused; then moves the model along.
 */
export class Step implements fc.AsyncCommand<ReferenceModel, MiniWorker> {
  private shown: string;

  constructor(
    label: string,
    private readonly plan: (model: ReferenceModel) => Planned,
  ) {
    this.shown = label;
  }

  check(): boolean {
    return true;
  }

  async run(model: ReferenceModel, worker: MiniWorker): Promise<void> {
    const planned = this.plan(model);
    this.shown = `${planned.command} by ${planned.actor} ${JSON.stringify(planned.payload)}`;
    const before = await worker.eventCount();
    const decision = await worker.run(planned.command, planned.actor, planned.payload, new Date(model.now));
    // The worker's rule before any command's own: a user command by someone who is not a registered user is 8.
    const prediction: Prediction =
      planned.actor !== 'system' && !model.users.has(planned.actor) ? { codes: [8] } : planned.prediction;
    const answer = decision.ok
      ? `${decision.code} ${JSON.stringify(decision.result)}`
      : `${decision.code} ${decision.error} ${JSON.stringify(decision.details)}`;
    expect(prediction.codes, `${this.shown} answered ${answer}`).toContain(decision.code);
    const seenKey = `${planned.command} ${decision.code}`;
    answersSeen.set(seenKey, (answersSeen.get(seenKey) ?? 0) + 1);
    if (!decision.ok)
      expect(await worker.eventCount(), `${this.shown}: a refusal records nothing`).toBe(before);
    expect(worker.refusedFollowUps, `${this.shown}: every follow-up accepted`).toEqual([]);
    if (decision.ok) {
      planned.alsoCheck?.(decision);
      prediction.apply?.(decision.result);
    }
  }

  toString(): string {
    return this.shown;
  }
}

/** Moves the model's clock; the next command runs at the new instant. */
export class Tick implements fc.AsyncCommand<ReferenceModel, MiniWorker> {
  private shown: string;

  constructor(
    label: string,
    private readonly advance: (model: ReferenceModel) => number,
  ) {
    this.shown = label;
  }

  check(): boolean {
    return true;
  }

  async run(model: ReferenceModel): Promise<void> {
    const next = this.advance(model);
    // The clock never runs backwards.
    if (next > model.now) model.now = next;
    this.shown = `clock at ${new Date(model.now).toISOString()}`;
  }

  toString(): string {
    return this.shown;
  }
}

// --- pools -------------------------------------------------------------------

export const users = [1, 2, 3, 4].map((n) => testId('usr', n));
/** Registered at the start of every run; the fourth user is not, until a step registers them. */
export const startingUsers = [
  [users[0] as string, 'alice'],
  [users[1] as string, 'bob'],
  [users[2] as string, 'carol'],
] as const;
export const usernames = ['alice', 'bob', 'carol', 'dave', 'Alice', 'BOB', 'erin'];

export const cameraPool = [1, 2, 3, 4, 5, 6].map((n) => testId('cam', n));
/** Camera ids a command may name: the pool, one never registered, one malformed. */
export const cameraRefs = [...cameraPool, testId('cam', 99_999), 'cam_bad'];

export const itemPool = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => testId('itm', n));
export const folderPool = [1, 2, 3, 4, 5, 6].map((n) => testId('fld', n));
export const networkPool = [1, 2, 3].map((n) => testId('net', n));

export const frameIds = ['A', 'B', 'C', 'D'].map((x) => `frame-${x}`.padEnd(30, '0'));
/** Not a frame of any clip, but a valid identifier. */
export const strangeFrame = 'frame-Z'.padEnd(30, '0');

export const folderNames = ['Garden', 'garden', ' GARDEN ', 'Photos', 'photos', 'Trip 2025'];
export const networkNames = ['Neighbours', 'neighbours', 'Street watch'];
export const networkTypeValues = ['public', 'private', 'hidden', 'secret'];

/** The i-th of a list (wrapping), for indices drawn before the list is known. */
export function pick<T>(list: readonly T[], i: number): T {
  if (list.length === 0) throw new Error('pick from an empty list');
  return list[i % list.length] as T;
}

/**
 * An id a command names: three times in four one the model knows (when it
 * knows any), else one of the others (the pool, unknown and malformed ids).
 */
export function choose(known: Iterable<string>, others: readonly string[], i: number): string {
  const ids = [...known];
  return ids.length > 0 && i % 4 !== 0 ? pick(ids, i >> 2) : pick(others, i >> 2);
}

export const index = fc.nat(1_000);
/** Mostly one of the three registered users; now and then the fourth, who may not be registered. */
export const actorIndex = fc.oneof(
  { weight: 8, arbitrary: fc.nat(2) },
  { weight: 1, arbitrary: fc.constant(3) },
);
