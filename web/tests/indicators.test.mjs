// The plan's indicators in a real browser: the dashboard with its SVG charts
// (each an image with a title, beside its table), a refused filter, a
// territorial sheet and the annual report, as printed; every page passes axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEssor, launchBrowser, newPage, audit, shoot, PASSWORD } from './helpers.mjs';

let essor;
let browser;

before(async () => {
  essor = await startEssor();
  browser = await launchBrowser();
  const actor = essor.addUser('asso@jura.example', 'Inès Morel', 'actor', 'Association du Jura');
  const res = await fetch(essor.base + '/api/v1/sessions', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: actor.email, password: PASSWORD }),
  });
  const { token } = await res.json();
  for (const [title, territory] of [['Épicerie solidaire à Dole', 'ze-dole'], ['Transport solidaire en Haute-Saône', '70']]) {
    const r = await fetch(essor.base + '/api/v1/needs', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ title, territory_code: territory, theme: 'food',
        description: 'Un besoin remonté pour vérifier les indicateurs et leurs graphiques.' }),
    });
    assert.equal(r.status, 201);
  }
});

after(async () => {
  await browser?.close();
  await essor?.stop();
});

test('the dashboard draws its charts with their tables', async () => {
  const page = await newPage(browser, essor.base);
  await page.goto('/indicateurs');
  await page.getByRole('heading', { level: 1, name: 'Indicateurs du plan ESS' }).waitFor();
  const funnel = page.getByRole('img', { name: /Besoins ayant atteint chaque étape/ });
  await funnel.waitFor();
  assert.equal(await page.locator('#entonnoir rect.bar').count(), 8, 'one bar per stage of the main road');
  await page.getByRole('table', { name: 'Besoins ayant atteint chaque étape' }).getByRole('cell', { name: '2' }).first().waitFor();
  await page.getByRole('table', { name: 'Besoins par département' }).getByRole('link', { name: 'Jura' }).waitFor();
  await audit(page);
  await shoot(page, 'indicators');

  await page.getByLabel(/^Du/).fill('2026-05-01');
  await page.getByLabel(/^Au/).fill('2026-04-01');
  await page.getByRole('button', { name: 'Afficher' }).click();
  await page.getByRole('alert').getByText(/fin de la période/).waitFor();
  await audit(page);
  await page.context().close();
});

test('a territorial sheet and the annual report print without the site around them', async () => {
  const page = await newPage(browser, essor.base);
  await page.goto('/indicateurs/territoires/39');
  await page.getByRole('heading', { level: 1, name: 'Fiche territoriale : Jura' }).waitFor();
  await audit(page);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false, 'the header is not printed');
  assert.equal(await page.getByRole('img', { name: /Besoins ayant atteint/ }).isVisible(), true, 'the charts are printed');
  await shoot(page, 'indicators-sheet-print');
  await page.emulateMedia({ media: 'screen' });
  await page.goto('/indicateurs/rapport/' + new Date().getFullYear());
  await page.getByRole('heading', { level: 1, name: /Rapport annuel/ }).waitFor();
  await audit(page);
  await page.context().close();
});
