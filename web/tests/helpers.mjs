// Shared by the browser tests: start the real binary on a fresh database,
// create accounts with its CLI, drive Debian's Chromium, check every page
// with axe-core and take screenshots at phone and laptop widths.
import { spawn, execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
export const screenshots = join(here, 'screenshots');

export const PASSWORD = 'mot-de-passe-de-test';

// The accounts `make demo-accounts` creates, which `essor demo` drives (its
// password is DEMO_PASSWORD), by the name the tests give them.
export const DEMO_PASSWORD = 'essor-demo-2026';
export const DEMO_PEOPLE = {
  actor: { email: 'acteur@essor.local', name: 'Alice Acteur', role: 'actor', organisation: 'Mairie de Dole' },
  actor2: { email: 'acteur2@essor.local', name: 'Bruno Bénévole', role: 'actor', organisation: 'Centre social de Lure' },
  officer: { email: 'charge@essor.local', name: 'Olivier Chargé', role: 'officer', organisation: 'FCA' },
  member1: { email: 'comite1@essor.local', name: 'Claire Comité', role: 'committee', organisation: 'Région' },
  member2: { email: 'comite2@essor.local', name: 'Cédric Comité', role: 'committee', organisation: 'État' },
  member3: { email: 'comite3@essor.local', name: 'Camille Comité', role: 'committee', organisation: 'Caisse des dépôts' },
  organiser: { email: 'organisateur@essor.local', name: 'Odile Organisatrice', role: 'organiser', organisation: 'FACT' },
  juror: { email: 'jury@essor.local', name: 'Jules Juré', role: 'jury', organisation: 'RIFIC' },
  admin: { email: 'admin@essor.local', name: 'Adèle Admin', role: 'admin', organisation: 'Région' },
};

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// startEssor runs `essor serve` on its own database, data directory and port,
// and waits until /readyz answers 200. A port found free can be taken by
// another process before essor binds it: then it starts again on another.
export async function startEssor(extraEnv = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(extraEnv);
    } catch (err) {
      if (attempt >= 4 || !/address already in use/.test(String(err.message))) throw err;
    }
  }
}

async function startOnce(extraEnv) {
  const bin = process.env.ESSOR_BIN;
  assert.ok(bin, 'ESSOR_BIN must name the essor binary (make test-browser sets it)');
  const db = 'essor_browser_' + randomBytes(5).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'essor-browser-'));
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: `postgres://localhost:5432/${db}`,
    ESSOR_DATA_DIR: dataDir,
    ESSOR_ADDR: `127.0.0.1:${port}`,
    ESSOR_TEMPORAL_PORT: '0',
    ESSOR_LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const proc = spawn(bin, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (proc.exitCode !== null) {
      execFileSync('psql', ['-h', '127.0.0.1', '-d', 'postgres', '-q', '-c', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`],
        { stdio: 'ignore' });
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`essor exited early:\n${log}`);
    }
    try {
      const res = await fetch(base + '/readyz');
      if (res.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`essor not ready after 90 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    log: () => log,
    addUser(email, name, role, organisation, password = PASSWORD) {
      execFileSync(bin, ['user', 'add', '--email', email, '--name', name, '--role', role, '--organisation', organisation],
        { env, input: password + '\n', stdio: ['pipe', 'ignore', 'pipe'] });
      return { email, name, role, organisation, password };
    },
    // demo fills this Essor as `make demo-accounts demo` would: the demo
    // accounts of every role, then `essor demo` over the API (28 needs at
    // every stage, study-actions, a call for projects, a Rally'nov round).
    async demo() {
      const people = {};
      for (const [key, p] of Object.entries(DEMO_PEOPLE)) {
        people[key] = this.addUser(p.email, p.name, p.role, p.organisation, DEMO_PASSWORD);
      }
      await promisify(execFile)(bin, ['demo', '-url', base], { env, timeout: 300_000, maxBuffer: 1 << 20 });
      return people;
    },
    async stop() {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      try {
        execFileSync('psql', ['-h', '127.0.0.1', '-d', 'postgres', '-q', '-c', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`],
          { stdio: 'ignore' });
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// newPage opens a fresh context (its own cookies) at laptop width; axe is
// injected despite the pages' Content-Security-Policy.
export async function newPage(browser, base, options = {}) {
  const context = await browser.newContext({
    baseURL: base, bypassCSP: true, locale: 'fr-FR', viewport: { width: 1366, height: 900 }, ...options,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  if (options.javaScriptEnabled === false) noScript.add(page);
  return page;
}

// Pages opened with scripts off, where axe cannot run: audit renders the
// same HTML in a scripted page to check it.
const noScript = new WeakSet();

// audit runs axe-core on the page as it stands and fails on any serious or
// critical violation.
export async function audit(page) {
  await page.waitForLoadState('load');
  if (noScript.has(page)) {
    const html = await page.content();
    const url = page.url();
    const mirror = await page.context().browser().newContext({ bypassCSP: true, viewport: page.viewportSize() });
    const copy = await mirror.newPage();
    await copy.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    try {
      await copy.goto(url);
      await audit(copy);
    } finally {
      await mirror.close();
    }
    return;
  }
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.addScriptTag({ path: axePath });
  const results = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n` +
    v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')} — ${n.failureSummary}`).join('\n'));
  assert.deepEqual(report, [], `accessibility violations on ${page.url()}:\n${report.join('\n')}`);
}

// shoot saves the page at phone (390×844) and laptop (1366×900) widths.
export async function shoot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(screenshots, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.screenshot({ path: join(screenshots, `${name}-laptop.png`), fullPage: true });
  if (size) await page.setViewportSize(size);
}

// signIn goes through the sign-in form and waits for the page it leads to.
export async function signIn(page, email, password = PASSWORD) {
  if (!page.url().includes('/connexion')) await page.goto('/connexion');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/connexion')),
    page.getByRole('button', { name: 'Se connecter' }).last().click(),
  ]);
}

// isoDay is a date n days from today, as date inputs take it.
export function isoDay(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

// openAction unfolds an action's form on a project's page (a lone action
// comes unfolded already).
export async function openAction(page, name) {
  const details = page.locator('details.action', { has: page.locator('summary', { hasText: name }) });
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  return details;
}

// fromHeader finds a link or button of the site's header by its name,
// opening first the menu (<details>) that holds it, if it is in one.
export async function fromHeader(page, name, role = 'link') {
  const named = (root) => root.getByRole(role, { name, exact: true, includeHidden: true });
  const header = page.getByRole('banner');
  const target = named(header);
  const menu = header.locator('details.menu', { has: named(page) });
  if (await menu.count() && (await menu.getAttribute('open')) === null) await menu.locator('summary').click();
  return target;
}
