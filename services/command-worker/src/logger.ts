import { pino } from 'pino';

/** Lines wait in memory until this much has gathered... */
const batchBytes = 4096;
/** ...or this long has passed, whichever comes first. */
const batchMs = 250;
const warn = pino.levels.values.warn as number;
/**
 * At most this much waits for a stdout nobody reads (a stalled log agent):
 * past it lines are dropped, and counted, rather than held in memory.
 */
const backlogBytes = 16 * 1024 * 1024;
/** How often a count of dropped lines is logged. */
const droppedEveryMs = 10_000;

/**
 * JSON lines on stdout, one object per event worth knowing (DOMAIN.md §5),
 * for every camledger process: the worker, the read side and the launcher.
 *
 * Lines are written in batches, not one write each: every worker answers a
 * command with an info line, and a write per line hands each one to a libuv
 * thread and wakes whoever reads the pipe. With one command in flight that
 * was a fifth of the worker's CPU per command (BENCHMARKS.md, eleventh
 * session). A warning or worse is written at once (or, when a write is
 * still under way, within the quarter second), and `announce` does the same
 * for a line an operator or a script waits for (ready). At exit pino writes
 * what is left; only a process killed outright (SIGKILL, OOM) loses its last
 * quarter second of lines.
 */
export function createLogger(
  service = 'camledger-command-worker',
  asked = process.env.LOG_LEVEL,
  /** stdout; a file path in tests. */
  dest: number | string = 1,
) {
  const stdout = pino.destination({
    dest,
    minLength: batchBytes,
    maxLength: backlogBytes,
    periodicFlush: batchMs,
  });
  let dropped = 0;
  stdout.on('drop', () => {
    dropped++;
  });
  // Empty is unset, as for every variable; a level pino does not know is not
  // worth stopping a service for: it logs at info and says why.
  const known = asked === undefined || asked === '' || asked in pino.levels.values || asked === 'silent';
  const log = pino(
    {
      level: known && asked ? asked : 'info',
      base: { service },
      hooks: {
        logMethod(args, write, lineLevel) {
          write.apply(this, args);
          if (lineLevel >= warn) stdout.flush();
        },
      },
    },
    stdout,
  );
  setInterval(() => {
    if (dropped === 0) return;
    log.warn({ dropped }, 'log lines dropped: stdout was not read fast enough');
    dropped = 0;
  }, droppedEveryMs).unref();
  if (!known)
    log.warn(
      { LOG_LEVEL: asked },
      `LOG_LEVEL "${asked}" is not a level (${[...Object.keys(pino.levels.values), 'silent'].join(', ')}): logging at info`,
    );
  return log;
}

export type Logger = ReturnType<typeof createLogger>;

/** Logs `msg` at info and writes it out at once: a line someone waits for. */
export function announce(log: pino.Logger, fields: object, msg: string): void {
  log.info(fields, msg);
  log.flush();
}
