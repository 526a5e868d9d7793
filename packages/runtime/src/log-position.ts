import type { Position } from '@camledger/event-store';

/**
 * A store position as the wire carries it (DOMAIN.md §2: an integer below
 * 2^53). The adapters' positions are integers, whether the port types them as
 * numbers or as their decimal spelling.
 */
export const logPosition = (position: Position | number): number =>
  typeof position === 'number' ? position : Number.parseInt(position, 10);
