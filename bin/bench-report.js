#!/usr/bin/env node
// Entry point for `npx bench-report`: runs the compiled CLI (built by `npm run build`, run by `prepare`).
import { main } from '../dist/pipeline/cli.js';

process.exitCode = await main(process.argv);
