import puppeteer from 'puppeteer-core';
import axe from 'axe-core';
const files = process.argv.slice(2);
const b = await puppeteer.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const f of files) {
  const p = await b.newPage();
  await p.goto('file://' + f);
  await p.addScriptTag({ content: axe.source });
  const r = await p.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  console.log(f);
  for (const v of r.violations) console.log('  ', v.impact, v.id, v.nodes.length, v.help);
  await p.close();
}
await b.close();
