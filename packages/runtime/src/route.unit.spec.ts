import { describe, expect, it } from 'vitest';
import { route, routeOf } from './route.ts';

// Which subject reaches which command: anything that does not route is
// answered 16 (unknown command) by the worker.

describe('routing a subject', () => {
  it('reaches a user command on cmd and an internal one on internal, under the prefix', () => {
    expect(route('camledger.cmd.folder.create', 'camledger')).toMatchObject({
      channel: 'cmd',
      name: 'folder.create',
      handler: { name: 'folder.create' },
    });
    expect(route('camledger.internal.account.register', 'camledger')).toMatchObject({
      channel: 'internal',
      name: 'account.register',
    });
    expect(route('eu.cmd.folder.create', 'eu')).toMatchObject({ name: 'folder.create' });
  });

  it('reaches nothing under another prefix, also one just as long', () => {
    expect(route('ledgercam.cmd.folder.create', 'camledger')).toBeUndefined();
    expect(route('camledgerXcmd.folder.create', 'camledger')).toBeUndefined();
    expect(route('cmd.folder.create', 'camledger')).toBeUndefined();
  });

  it('reaches nothing on a channel other than cmd or internal', () => {
    expect(route('camledger.query.folder.create', 'camledger')).toBeUndefined();
    expect(route('camledger.events.account.register', 'camledger')).toBeUndefined();
  });

  it('reaches nothing with a part missing or one too many', () => {
    expect(route('camledger.cmd.folder', 'camledger')).toBeUndefined();
    expect(route('camledger.cmd..create', 'camledger')).toBeUndefined();
    expect(route('camledger.cmd.folder.create.now', 'camledger')).toBeUndefined();
    expect(route('camledger.internal.account.register.x', 'camledger')).toBeUndefined();
  });

  it('reaches no unknown action', () => {
    expect(route('camledger.cmd.folder.explode', 'camledger')).toBeUndefined();
    expect(routeOf('cmd', 'nothing.here')).toBeUndefined();
  });

  it('serves each command on its own channel only', () => {
    expect(route('camledger.cmd.account.register', 'camledger')).toBeUndefined();
    expect(route('camledger.internal.folder.create', 'camledger')).toBeUndefined();
    expect(routeOf('cmd', 'account.add_credits')).toBeUndefined();
    expect(routeOf('internal', 'account.add_credits')).toMatchObject({ channel: 'internal' });
  });

  it('serves follow-up-only commands on no channel: only a reactor runs them', () => {
    for (const name of ['account.open', 'directory.claim', 'item.materialize_snapshot']) {
      expect(routeOf('internal', name)).toBeUndefined();
      expect(routeOf('cmd', name)).toBeUndefined();
      expect(route(`camledger.internal.${name}`, 'camledger')).toBeUndefined();
    }
  });
});
