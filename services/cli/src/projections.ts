import type { ProjectorStatus } from '@camledger/domain';
import { SingleBar } from 'cli-progress';
import { ErrorCode, type Msg, type NatsConnection, type NatsError, ServiceError } from 'nats';
import { type ExitCode, exitCodes, NoConnection, type Output } from './output.ts';

// `camledger projections status|rebuild`: both ask the running projector over
// NATS (`<prefix>.projector.status` / `.rebuild`, services/query-server's
// projector service) rather than the read store, so they work on PGlite,
// whose directory only its owner process may open.

export interface ProjectorTarget {
  readonly prefix: string;
  /** NATS servers as they may be printed (no credentials), for the error messages. */
  readonly servers: string;
  readonly timeoutMs: number;
}

const unanswered = (target: ProjectorTarget, subject: string, reason: string) =>
  new NoConnection(
    `no projector answers on ${subject} (NATS ${target.servers}): ${reason} — is a projector running with CAMLEDGER_PREFIX=${target.prefix}?`,
  );

/** One request to the projector service; a missing projector is a NoConnection (exit 2) naming the prefix. */
async function ask(
  nc: NatsConnection,
  target: ProjectorTarget,
  action: 'status' | 'rebuild',
  timeoutMs: number,
): Promise<Msg> {
  const subject = `${target.prefix}.projector.${action}`;
  try {
    return await nc.request(subject, '', { timeout: timeoutMs });
  } catch (error) {
    const code = (error as NatsError).code;
    if (code === ErrorCode.NoResponders) throw unanswered(target, subject, 'no responders');
    if (code === ErrorCode.Timeout) throw unanswered(target, subject, `no reply within ${timeoutMs} ms`);
    throw error;
  }
}

export async function fetchStatus(nc: NatsConnection, target: ProjectorTarget): Promise<ProjectorStatus> {
  const msg = await ask(nc, target, 'status', target.timeoutMs);
  const failure = ServiceError.toServiceError(msg);
  if (failure) throw new Error(`the projector could not report its status: ${failure.message}`);
  return (msg.json() as { result: ProjectorStatus }).result;
}

/** `camledger projections status [--json]`. */
export async function runProjectionsStatus(
  nc: NatsConnection,
  target: ProjectorTarget,
  options: { readonly json?: boolean },
  output: Output,
): Promise<ExitCode> {
  const s = await fetchStatus(nc, target);
  if (options.json) output.out(JSON.stringify(s));
  else {
    output.out(`store                ${s.store} (projection version ${s.projection_version})`);
    output.out(`applied position     ${s.applied_position}${s.applied_at ? ` at ${s.applied_at}` : ''}`);
    output.out(`head of the log      ${s.head_position}`);
    output.out(`lag                  ${s.lag_events} appends, ${s.lag_seconds} s`);
    if (s.rebuild) output.out(`rebuilding           position ${s.rebuild.position} of ${s.rebuild.goal}`);
  }
  return exitCodes.ok;
}

export interface RebuildOptions {
  /** How often the projector's progress is asked for. */
  readonly pollMs?: number;
  /** How long the whole rebuild may take before the CLI gives up waiting (the projector goes on). */
  readonly waitMs?: number;
}

/** A bar on a terminal (cleared when done), a plain line per change of position otherwise. */
function rebuildProgress(output: Output) {
  let bar: SingleBar | undefined;
  let last = -1;
  return {
    show(position: number, goal: number) {
      if (output.tty) {
        if (!bar) {
          bar = new SingleBar({
            stream: output.tty,
            format: 'rebuild |{bar}| {percentage}% | position {value}/{total}',
            barsize: 20,
            // The cursor stays visible: Ctrl-C ends the process before a hidden one could be shown again.
            hideCursor: false,
            clearOnComplete: true,
          });
          bar.start(goal, 0);
        }
        bar.setTotal(goal);
        bar.update(Math.min(position, goal));
      } else if (position !== last) {
        output.err(`rebuild: position ${position} of ${goal}`);
      }
      last = position;
    },
    stop: () => bar?.stop(),
  };
}

/**
 * `camledger projections rebuild`: the projector rebuilds from position 0 into
 * the shadow copy and swaps it in (queries keep answering from the old rows);
 * the progress shown is the projector's own, polled from its status.
 */
export async function runProjectionsRebuild(
  nc: NatsConnection,
  target: ProjectorTarget,
  options: RebuildOptions,
  output: Output,
): Promise<ExitCode> {
  // Fails fast, with the prefix named, when no projector runs.
  await fetchStatus(nc, target);
  const progress = rebuildProgress(output);
  const started = performance.now();
  let done = false;
  const poll = (async () => {
    while (!done) {
      // A bar redraws often; plain lines come about once a second.
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? (output.tty ? 200 : 1000)));
      if (done) break;
      const s = await fetchStatus(nc, target).catch(() => undefined);
      if (s?.rebuild && !done) progress.show(s.rebuild.position, s.rebuild.goal);
    }
  })();
  let reply: Msg;
  try {
    // A standby projector (waiting for the lock) may take the request and
    // answer "not the one applying": ask again, the queue group picks anew.
    for (let attempt = 1; ; attempt++) {
      reply = await ask(nc, target, 'rebuild', options.waitMs ?? 3_600_000);
      const failure = ServiceError.toServiceError(reply);
      if (!failure) break;
      if (!/not the one applying/.test(failure.message) || attempt >= 5)
        throw new Error(`the projector refused the rebuild: ${failure.message}`);
    }
  } finally {
    done = true;
    await poll;
  }
  const position = (reply.json() as { result: { applied_position: number } }).result.applied_position;
  progress.show(position, position);
  progress.stop();
  const seconds = (performance.now() - started) / 1000;
  output.out(
    `rebuilt from position 0 to ${position} in ${seconds.toFixed(2)} s; the new rows are swapped in`,
  );
  return exitCodes.ok;
}
