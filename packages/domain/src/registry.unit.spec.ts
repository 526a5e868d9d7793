import { describe, expect, it } from 'vitest';
import { eventTypesOf } from './kernel/index.ts';
import {
  aggregatesByCategory,
  commands,
  followUpCategories,
  followUpEventTypes,
  schemaVersionOf,
  slices,
} from './registry.ts';
import { currentEventVersions } from './upcasting/index.ts';

describe('the registry', () => {
  it('stamps new events with the version the upcasters lift old ones to', () => {
    // Two places know an event's current version: the slice that emits it and
    // the upcaster chain that lifts older ones. If they disagree, events
    // written today would be upcast again on read.
    for (const [type, version] of Object.entries(currentEventVersions))
      expect(schemaVersionOf(type)).toBe(version);
  });

  it('has one handler per wire name', () => {
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives every aggregate a category of its own', () => {
    const categories = slices.flatMap((s) => s.aggregates.map((a) => a.category));
    expect(new Set(categories).size).toBe(categories.length);
  });

  it('names every aggregate whose streams hold an event a reactor answers, and no other', () => {
    // The follow-up queue sees only these categories' streams: one left out
    // loses its follow-ups after a crash, one too many costs a delivery per append.
    expect([...followUpCategories].sort()).toEqual(['item', 'network', 'username']);
    for (const type of followUpEventTypes) {
      const holders = followUpCategories.filter((c) => eventTypesOf(aggregatesByCategory.get(c)!)?.has(type));
      expect(holders, type).not.toEqual([]);
    }
  });

  it('knows the event types of every aggregate, so none is counted in by default', () => {
    for (const aggregate of aggregatesByCategory.values())
      expect(eventTypesOf(aggregate)?.size, aggregate.category).toBeGreaterThan(0);
  });
});
