#!/usr/bin/env node
// The installed `camledger` command: the CLI is TypeScript run through tsx,
// as `pnpm camledger` does from the repository.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
