// Every main page is valid HTML: the pages as each role receives them
// (anonymous, actor, officer, committee member, organiser, juror, admin),
// plus a refused form and the error pages, go through the Nu HTML Checker
// (npm vnu-jar, run with the machine's Java) at once; any error fails,
// warnings are allowed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startEssor, launchBrowser, newPage, signIn } from './helpers.mjs';
import { seedDemo } from './demo-pages.mjs';

const vnu = createRequire(import.meta.url).resolve('vnu-jar/build/dist/vnu.jar');

let essor;
let browser;
let demo;
let dir;
const saved = new Map(); // file → what it is

before(async () => {
  essor = await startEssor();
  browser = await launchBrowser();
  demo = await seedDemo(essor);
  dir = mkdtempSync(join(tmpdir(), 'essor-html-'));
});

after(async () => {
  await browser?.close();
  await essor?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function keep(label, html) {
  const file = join(dir, `${saved.size}.html`);
  writeFileSync(file, html);
  saved.set(file, label);
}

test('the pages of every role are saved as served', async () => {
  for (const [who, paths] of Object.entries(demo.pages)) {
    const page = await newPage(browser, essor.base);
    if (who !== 'anonymous') await signIn(page, demo.people[who].email, demo.people[who].password);
    for (const path of who === 'anonymous' ? paths : ['/', ...paths]) {
      const res = await page.goto(path);
      assert.equal(res.status(), 200, `${who} ${path}`);
      keep(`${who} ${path}`, await res.text());
    }
    if (who === 'actor') {
      // A refused form comes back with its messages beside the fields.
      await page.goto('/besoins/nouveau');
      await page.getByLabel('Titre du besoin').fill('Gar');
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/besoins/nouveau')),
        page.getByRole('button', { name: 'Remonter ce besoin' }).click(),
      ]);
      keep(`${who} POST /besoins/nouveau (refused)`, await res.text());
      for (const [path, status] of [['/tableau', 403], ['/cette-page-nexiste-pas', 404]]) {
        const r = await page.goto(path);
        assert.equal(r.status(), status, path);
        keep(`${who} ${path} (${status})`, await r.text());
      }
    }
    await page.context().close();
  }
});

test('the Nu HTML Checker finds no error in them', async () => {
  assert.ok(saved.size > 40, `only ${saved.size} pages saved`);
  let out;
  try {
    ({ stdout: out } = await promisify(execFile)('java', ['-jar', vnu, '--format', 'json', '--stdout', ...saved.keys()],
      { maxBuffer: 64 << 20, timeout: 240_000 }));
  } catch (err) {
    if (err.stdout === undefined || err.code === 'ENOENT') throw err; // no Java: .ci/ensure-browser installs it
    out = err.stdout; // vnu exits 1 when it reports errors
  }
  const errors = JSON.parse(out).messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  const report = errors.map((m) => `${saved.get(m.url.replace(/^file:/, '')) ?? m.url}:${m.lastLine ?? ''}: ${m.message}\n    ${(m.extract ?? '').replace(/\n/g, ' ')}`);
  assert.deepEqual(report, [], `${errors.length} HTML errors:\n${report.join('\n')}`);
});
