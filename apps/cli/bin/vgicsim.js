#!/usr/bin/env node
import('../dist/bin.js').catch((e) => { if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !/[\\/]dist[\\/]/.test(String(e.url ?? e.message))) throw e; console.error('vgicsim: the CLI is not built yet (a dist/ directory is missing): run npm run build'); process.exitCode = 2; });
