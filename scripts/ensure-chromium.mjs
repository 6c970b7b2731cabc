#!/usr/bin/env node
// Part of `npm run setup`, after `npm ci` has built dist/: make sure a headless Chromium
// exists for the PDF, found exactly as the renderer finds it. When none is found and we are
// root on Debian/Ubuntu, installs the `chromium` package with apt; otherwise says how to get
// one. Never fails the setup: without a browser the tool still writes HTML, JSON, Markdown.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from '../dist/pipeline/render/index.js';

const found = findChromium();
if (found) {
  console.error(`setup: Chromium found at ${found}`);
  process.exit(0);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.error('setup: no Chromium found; installing the Debian package `chromium` (and poppler-utils for PDF checks) with apt-get…');
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium', 'poppler-utils', 'fonts-dejavu-core'], { stdio: 'inherit', env });
    console.error('setup: Chromium installed at /usr/bin/chromium');
  } catch (err) {
    console.error(`setup: apt-get could not install chromium (${err.message}); PDFs will be skipped until a browser is available.`);
  }
} else {
  console.error(
    'setup: no Chromium found; install one (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set BENCH_REPORT_CHROMIUM to a Chrome/Chromium binary — until then reports are written without the PDF.',
  );
}
