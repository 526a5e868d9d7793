import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CamledgerProcess, startCamledger } from '../support/camledger-process.ts';
import { runCamledger } from '../support/cli-process.ts';
import { natsUrl, uniquePrefix } from '../support/test-worker.ts';

// `camledger projections status|rebuild` against `pnpm start`'s one process
// on PGlite (whose directory only that process may open): the CLI reaches
// the projector over NATS, as an operator's would.

type Reply = { ok: boolean; result: Record<string, string>; position: number };

let c: CamledgerProcess;
beforeAll(async () => {
  c = await startCamledger();
}, 120_000);
afterAll(() => c?.dispose());

const register = async (username: string): Promise<Reply> =>
  (
    await c.nc.request(
      `${c.prefix}.internal.account.register`,
      JSON.stringify({ command_id: randomUUID(), actor: 'system', payload: { username } }),
      { timeout: 15_000 },
    )
  ).json<Reply>();

const cli = (args: string[], prefix = c.prefix) =>
  runCamledger(['projections', ...args], { NATS_URL: natsUrl, CAMLEDGER_PREFIX: prefix }, 120_000);

const status = async () => {
  const run = await cli(['status', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, number | string | null>;
};

/** Status until the projector has applied `position` (it follows the log a moment behind). */
async function statusAt(position: number) {
  for (let i = 0; i < 50; i++) {
    const s = await status();
    if ((s.applied_position as number) >= position) return s;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the projector never reached position ${position}`);
}

describe('camledger projections', () => {
  it('status: applied position, head of the log and lag, as JSON and as text', async () => {
    const registered = await register(`st${Date.now()}`);
    expect(registered.ok).toBe(true);
    const s = await statusAt(registered.position);
    expect(s).toMatchObject({
      store: 'pglite',
      applied_position: registered.position,
      head_position: registered.position,
      lag_events: 0,
      lag_seconds: 0,
      rebuild: null,
    });

    const text = await cli(['status']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`applied position\\s+${registered.position}\\b`));
    expect(text.stdout).toMatch(new RegExp(`head of the log\\s+${registered.position}\\b`));
    expect(text.stdout).toMatch(/lag\s+0 appends, 0 s/);
  });

  it('rebuild: from zero into the shadow copy with progress lines, swapped in; queries still answer', async () => {
    // Enough appends for several of PGlite's 25-event batches.
    let last: Reply | undefined;
    for (let i = 0; i < 120; i++) last = await register(`rb${i}x${Date.now()}`);
    const head = last?.position ?? 0;
    await statusAt(head);

    const run = await cli(['rebuild']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`rebuilt from position 0 to ${head} in [\\d.]+ s`));
    // Not a terminal: plain progress lines, the last one at the end of the log.
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('rebuild: position'));
    expect(lines.at(-1)).toBe(`rebuild: position ${head} of ${head}`);

    const after = await status();
    expect(after).toMatchObject({ applied_position: head, lag_events: 0, rebuild: null });
    const read = await (
      await c.nc.request(
        `${c.prefix}.query.account.get`,
        JSON.stringify({ actor: last?.result.user_id, payload: { min_position: head } }),
        { timeout: 15_000 },
      )
    ).json<Reply>();
    expect(read).toMatchObject({ ok: true, result: { user_id: last?.result.user_id } });
  });

  it('says which prefix has no projector, exit 2', async () => {
    const nobody = uniquePrefix('noproj');
    for (const action of ['status', 'rebuild']) {
      const run = await cli([action], nobody);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`no projector answers on ${nobody}.projector.status`);
      expect(run.stderr).toContain(`CAMLEDGER_PREFIX=${nobody}`);
    }
  });
});
