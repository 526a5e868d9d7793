import { describe, expect, it } from 'vitest';
import { CommandStats } from './command-stats.ts';

describe("per-command figures in an endpoint's STATS data", () => {
  it('counts requests, 1500s and time per command, apart per endpoint', () => {
    const stats = new CommandStats();
    stats.counter('p.cmd.>', 'folder.create')(2, false);
    stats.counter('p.cmd.>', 'folder.create')(4.5, true);
    stats.counter('p.cmd.>', undefined)(1, false);
    stats.counter('p.internal.>', 'account.register')(1, false);
    expect(stats.of('p.cmd.>')).toEqual({
      commands: {
        'folder.create': {
          num_requests: 2,
          num_errors: 1,
          processing_time: 6_500_000,
          average_processing_time: 3_250_000,
        },
      },
      unknown_actions: 1,
    });
    expect(Object.keys(stats.of('p.internal.>').commands)).toEqual(['account.register']);
  });

  it('hands out a copy: what STATS sent does not move with later requests', () => {
    const stats = new CommandStats();
    stats.counter('c', 'a.b')(1, false);
    const sent = stats.of('c');
    stats.counter('c', 'a.b')(1, false);
    expect(sent.commands['a.b']?.num_requests).toBe(1);
    expect(stats.of('c').commands['a.b']?.num_requests).toBe(2);
  });
});

describe('the order of commands in STATS data', () => {
  it('is by name, whatever order they were first asked in', () => {
    const stats = new CommandStats();
    for (const name of ['item.move', 'folder.create', 'camera.add']) stats.counter('c', name)(1, false);
    expect(Object.keys(stats.of('c').commands)).toEqual(['camera.add', 'folder.create', 'item.move']);
  });
});
